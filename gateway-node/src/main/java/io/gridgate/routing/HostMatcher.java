package io.gridgate.routing;

/** Matches the request host (lower case, without port): exact, or a {@code *.example.com} wildcard. */
record HostMatcher(String host, boolean wildcard) {

  static HostMatcher of(String pattern) {
    return pattern.startsWith("*.")
        ? new HostMatcher(pattern.substring(1), true)
        : new HostMatcher(pattern, false);
  }

  boolean matches(String requestHost) {
    if (requestHost == null) {
      return false;
    }
    return wildcard
        ? requestHost.length() > host.length() && requestHost.endsWith(host)
        : requestHost.equals(host);
  }

  /** Exact hosts outrank wildcards; longer wildcards outrank shorter ones. */
  int specificity() {
    return wildcard ? host.length() : 10_000;
  }
}
