package io.gridgate.config;

import java.util.List;

/** One route: what it matches, where it sends traffic and how it changes the exchange; its
 * rate limits include the global ones, first; {@code auth}, {@code acl}, {@code cors} and
 * {@code compose} are null when the route has none, and {@code upstream} is null when it composes. */
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
    RetryPolicy retries,
    List<RateLimitSpec> rateLimits,
    RateLimitHeaders rateLimitHeaders,
    AuthSpec auth,
    AclSpec acl,
    IpRules ipRules,
    CorsSpec cors,
    RequestTransform requestTransform,
    ResponseTransform responseTransform,
    ComposeSpec compose) {
  public RouteSpec {
    rateLimits = List.copyOf(rateLimits);
  }
}
