package io.gridgate.http1;

/**
 * The path and query of an HTTP/1.x request-target, split as Vert.x splits them (origin-form
 * {@code /p?q}, absolute-form {@code http://host/p?q} whose path starts at the first slash after the
 * authority, or {@code /} when it has none).
 */
final class RequestTargets {
  private RequestTargets() {}

  /** Where the path ends in {@code uri} (its length when there is no query). */
  static int pathEnd(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri.length() : query;
  }

  static String path(String uri, int pathEnd) {
    if (uri.isEmpty() || uri.charAt(0) == '/') {
      return pathEnd == uri.length() ? uri : uri.substring(0, pathEnd);
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0 || scheme > pathEnd) {
      return uri.substring(0, pathEnd);
    }
    int slash = uri.indexOf('/', scheme + 3);
    if (slash < 0 || slash > pathEnd) {
      return "/";
    }
    return uri.substring(slash, pathEnd);
  }

  static String query(String uri, int pathEnd) {
    return pathEnd == uri.length() ? null : uri.substring(pathEnd + 1);
  }
}
