package io.gridgate.routing;

/**
 * Normalises a request path before matching: decodes percent-encoded dots and slashes, removes
 * dot segments (RFC 3986 5.2.4) and merges repeated slashes, so {@code /public/../admin} or
 * {@code /public/%2e%2e/admin} is matched as {@code /admin}. Returns null for paths that cannot
 * be served (not absolute, or containing NUL).
 */
public final class PathNormalizer {
  private PathNormalizer() {}

  public static String normalize(String raw) {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    if (isAlreadyNormal(raw)) {
      return raw;
    }
    String decoded = decodeDotsAndSlashes(raw);
    if (decoded == null) {
      return null;
    }
    return removeDotSegments(decoded);
  }

  private static boolean isAlreadyNormal(String path) {
    char previous = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || c == 0 || (previous == '/' && (c == '.' || c == '/'))) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static String decodeDotsAndSlashes(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return null;
      }
      if (c == '\\') {
        out.append('/');
      } else if (c == '%' && i + 2 < path.length()) {
        String hex = path.substring(i + 1, i + 3);
        switch (hex.toLowerCase(java.util.Locale.ROOT)) {
          case "2e" -> out.append('.');
          case "2f", "5c" -> out.append('/');
          case "00" -> {
            return null;
          }
          default -> out.append(c).append(hex);
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String removeDotSegments(String path) {
    String[] segments = path.split("/", -1);
    String[] stack = new String[segments.length];
    int depth = 0;
    boolean trailingSlash = false;
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      switch (s) {
        case "", "." -> trailingSlash = last;
        case ".." -> {
          if (depth > 0) {
            depth--;
          }
          trailingSlash = last;
        }
        default -> {
          stack[depth++] = s;
          trailingSlash = false;
        }
      }
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < depth; i++) {
      out.append('/').append(stack[i]);
    }
    if (trailingSlash || depth == 0) {
      out.append('/');
    }
    return out.toString();
  }
}
