package io.gridgate.routing;

/**
 * Normalises a request path before matching (RFC 3986 6.2.2): decodes percent-encoded unreserved
 * characters ({@code %61} → {@code a}), dots and slashes ({@code %2e}, {@code %2f}, {@code %5c}, and
 * {@code \} becomes {@code /}), writes every other escape with upper-case hex, removes dot segments
 * (RFC 3986 5.2.4, a {@code ..;x} segment counting as {@code ..}) and merges repeated slashes, so
 * {@code /public/../admin}, {@code /public/%2e%2e/admin} and {@code /%61dmin} are all {@code /admin}.
 * {@code ;} path parameters stay on their segments; {@link #withoutParameters} drops them. Returns
 * null for paths that cannot be served: not absolute, a malformed escape ({@code %zz}, {@code %4}),
 * or NUL (raw or {@code %00}).
 */
public final class PathNormalizer {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  public static String normalize(String raw) {
    if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
      return null;
    }
    if (isAlreadyNormal(raw)) {
      return raw;
    }
    String decoded = decode(raw);
    if (decoded == null) {
      return null;
    }
    return removeDotSegments(decoded);
  }

  /** A normalised {@code path} without its {@code ;} path parameters; the same instance when it has none. */
  public static String withoutParameters(String path) {
    int semicolon = path.indexOf(';');
    if (semicolon < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = 0;
    while (semicolon >= 0) {
      out.append(path, start, semicolon);
      int slash = path.indexOf('/', semicolon);
      start = slash < 0 ? path.length() : slash;
      semicolon = path.indexOf(';', start);
    }
    return out.append(path, start, path.length()).toString();
  }

  private static boolean isAlreadyNormal(String path) {
    char previous = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || c == ';' || c == 0 || (previous == '/' && (c == '.' || c == '/'))) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /** The path with its escapes decoded or upper-cased and backslashes as slashes; null when malformed or NUL. */
  private static String decode(String path) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == 0) {
        return null;
      }
      if (c == '\\') {
        out.append('/');
      } else if (c == '%') {
        int high = i + 2 < path.length() ? hexValue(path.charAt(i + 1)) : -1;
        int low = high < 0 ? -1 : hexValue(path.charAt(i + 2));
        if (low < 0) {
          return null;
        }
        char decoded = (char) (high << 4 | low);
        if (decoded == 0) {
          return null;
        }
        if (decoded == '/' || decoded == '\\') {
          out.append('/');
        } else if (isUnreserved(decoded) || decoded == ';') {
          out.append(decoded);
        } else {
          out.append('%').append(HEX[high]).append(HEX[low]);
        }
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** RFC 3986 2.3: ALPHA, DIGIT, {@code -}, {@code .}, {@code _} and {@code ~}. */
  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static String removeDotSegments(String path) {
    String[] segments = path.split("/", -1);
    String[] stack = new String[segments.length];
    int depth = 0;
    boolean trailingSlash = false;
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      boolean last = i == segments.length - 1;
      switch (nameOf(s)) {
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

  /** A segment without its {@code ;} parameters, as backends that strip them see it. */
  private static String nameOf(String segment) {
    int semicolon = segment.indexOf(';');
    return semicolon < 0 ? segment : segment.substring(0, semicolon);
  }
}
