package io.gridgate.routing;

import io.gridgate.config.PathPattern;
import java.util.regex.Pattern;

/** Tests a normalised request path against one route's path pattern. */
sealed interface PathMatcher permits PathMatcher.Exact, PathMatcher.Prefix, PathMatcher.Regex, TemplatePathMatcher {

  boolean matches(String path);

  /** Rank for "most specific wins": exact, then template, then prefix, then regex. */
  int kindRank();

  /** Within a kind, a longer literal part is more specific. */
  int literalLength();

  /** Puts the route of rank {@code rank} where {@code trie} finds it for the paths this matcher may match. */
  void addTo(PathTrie trie, int rank);

  static PathMatcher of(PathPattern pattern) {
    return switch (pattern.kind()) {
      case EXACT -> new Exact(pattern.value());
      case PREFIX -> new Prefix(pattern.value());
      case TEMPLATE -> new TemplatePathMatcher(pattern.value());
      case REGEX -> new Regex(Pattern.compile(pattern.value()));
    };
  }

  /** The path equals the value. */
  record Exact(String value) implements PathMatcher {
    public boolean matches(String path) {
      return path.equals(value);
    }

    public int kindRank() {
      return 4;
    }

    public int literalLength() {
      return value.length();
    }

    public void addTo(PathTrie trie, int rank) {
      trie.addExact(value, rank);
    }
  }

  /** The path starts with the value at a segment boundary ({@code /api} matches {@code /api/x}, not {@code /apix}). */
  record Prefix(String value) implements PathMatcher {
    public boolean matches(String path) {
      if (!path.startsWith(value)) {
        return false;
      }
      return path.length() == value.length() || value.endsWith("/") || path.charAt(value.length()) == '/';
    }

    public int kindRank() {
      return 2;
    }

    public int literalLength() {
      return value.length();
    }

    public void addTo(PathTrie trie, int rank) {
      trie.addPrefix(value, rank);
    }
  }

  /** The whole path matches a regular expression. */
  record Regex(Pattern pattern) implements PathMatcher {
    public boolean matches(String path) {
      return pattern.matcher(path).matches();
    }

    public int kindRank() {
      return 1;
    }

    public int literalLength() {
      return 0;
    }

    /** Indexed as a prefix ending in {@code /} when the regex starts with literal text holding a {@code /}. */
    public void addTo(PathTrie trie, int rank) {
      String directory = leadingDirectory(pattern.pattern());
      if (directory.isEmpty()) {
        trie.addUnindexed(rank);
      } else {
        trie.addPrefix(directory, rank);
      }
    }

    /**
     * The literal text, up to its last {@code /}, that every path this regex matches starts with;
     * empty when that cannot be told simply (an alternation, or no {@code /} before the first
     * metacharacter). A character made optional by the quantifier after it does not count.
     */
    static String leadingDirectory(String regex) {
      if (regex.indexOf('|') >= 0) {
        return "";
      }
      int i = regex.startsWith("^") ? 1 : 0;
      int start = i;
      while (i < regex.length() && isPlainLiteral(regex.charAt(i))) {
        i++;
      }
      int end = i;
      if (end > start && end < regex.length() && "?*{".indexOf(regex.charAt(end)) >= 0) {
        end--;
      }
      int slash = regex.lastIndexOf('/', end - 1);
      return slash < start ? "" : regex.substring(start, slash + 1);
    }

    private static boolean isPlainLiteral(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '_';
    }
  }
}
