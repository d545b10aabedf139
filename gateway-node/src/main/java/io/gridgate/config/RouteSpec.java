package io.gridgate.config;

import java.util.List;

/** One route: what it matches, where it sends traffic and how it changes the exchange; its
 * rate limits include the global ones, first; {@code auth}, {@code acl}, {@code cors},
 * {@code compose} and {@code cache} are null when the route has none, and {@code upstream} is null
 * when it composes. {@code pathParameters} says what happens to {@code ;} path parameters, and
 * {@code requestBuffering} whether request bodies are held (up to the node's buffer size) before the
 * upstream is called. */
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
    ComposeSpec compose,
    CacheSpec cache,
    PathParameters pathParameters,
    boolean requestBuffering) {
  public RouteSpec {
    rateLimits = List.copyOf(rateLimits);
  }
}
