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

    public void addTo(PathTrie trie, int rank) {
      trie.addUnindexed(rank);
    }
  }
}
