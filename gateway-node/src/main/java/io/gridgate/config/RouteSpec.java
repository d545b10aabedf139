package io.gridgate.config;

/** One route: what it matches, where it sends traffic and how it changes the exchange. */
public record RouteSpec(
    String id,
    int priority,
    MatchSpec match,
    String upstream,
    RewriteSpec rewrite,
    HeaderOps requestHeaders,
    HeaderOps responseHeaders,
    HostHeader hostHeader,
    Timeouts timeouts,
    RetryPolicy retries) {}
