package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gridgate.config.RateLimitSpec.Algorithm;
import io.gridgate.config.RateLimitSpec.LimitKey;
import io.gridgate.config.RateLimitSpec.OnGridFailure;
import io.gridgate.config.RateLimitSpec.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code rate_limits} sections: defaults, global limits first on every route, and every mistake reported with its path. */
class RateLimitConfigTest {
  private final ConfigParser parser = new ConfigParser();

  @Test
  void globalLimitsComeFirstOnEveryRouteAndDefaultsAreSafe() {
    GatewayConfig config = parser.parse("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        rate_limits:
          - {name: per-client, limit: 100}
        routes:
          - id: r
            match: {path: {prefix: /}}
            upstream: u
            rate_limit_headers: legacy
            rate_limits:
              - {name: tenant, algorithm: token_bucket, limit: 10, window: 1m, key: [route, "header:X-Tenant"], scope: local, on_grid_failure: fail_closed, grid_timeout: 20ms, tiers: {gold: 100}}
          - {id: plain, match: {path: {prefix: /plain}}, upstream: u}
        """);
    RouteSpec r = config.routes().get(0);
    assertEquals(RateLimitHeaders.LEGACY, r.rateLimitHeaders());
    RateLimitSpec global = r.rateLimits().get(0);
    assertEquals(new RateLimitSpec("global.per-client", "per-client", Algorithm.FIXED_WINDOW, 100, Duration.ofSeconds(1), 0,
        List.of(new LimitKey(LimitKey.Source.CLIENT_ADDRESS, null)), Scope.CLUSTER, OnGridFailure.FAIL_OPEN,
        Duration.ofMillis(100), Map.of()), global);
    assertEquals(new RateLimitSpec("r.tenant", "tenant", Algorithm.TOKEN_BUCKET, 10, Duration.ofMinutes(1), 10,
        List.of(new LimitKey(LimitKey.Source.ROUTE, null), new LimitKey(LimitKey.Source.HEADER, "X-Tenant")),
        Scope.LOCAL, OnGridFailure.FAIL_CLOSED, Duration.ofMillis(20), Map.of("gold", 100L)), r.rateLimits().get(1));
    RouteSpec plain = config.routes().get(1);
    assertEquals(List.of(global), plain.rateLimits(), "a global limit applies to every route");
    assertEquals(RateLimitHeaders.BOTH, plain.rateLimitHeaders());
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        rate_limits:
          - {name: a, limit: 0}
          - {name: a, limit: 5, burst: 3}
          - {limit: 5, key: "cookie:x", sorcery: true}
        routes:
          - id: r
            match: {path: {prefix: /}}
            upstream: u
            rate_limit_headers: loud
            rate_limits:
              - {name: c, algorithm: concurrency, limit: 5, window: 1s, scope: cluster}
              - {name: d, algorithm: leaky, limit: 5, grid_timeout: 1m}
              - {name: e, window: 2s}
        """));
    assertEquals(List.of(
        "rate_limits[0].limit: must be between 1 and 1000000000 (was 0)",
        "rate_limits[1].burst: applies only to token_bucket and leaky_bucket",
        "rate_limits[1].name: duplicate rate limit name 'a'",
        "rate_limits[2].key: key part must be client_address, consumer, route, path, path_template or header:NAME (was 'cookie:x')",
        "rate_limits[2].name: is required",
        "rate_limits[2].sorcery: unknown field (allowed: algorithm, burst, grid_timeout, key, limit, name, on_grid_failure, scope, tiers, window)",
        "routes[0].rate_limit_headers: must be one of [both, standard, legacy, none] (was 'loud')",
        "routes[0].rate_limits[0].scope: a concurrency limit counts requests in flight on each node: its scope is local",
        "routes[0].rate_limits[0].window: does not apply to a concurrency limit",
        "routes[0].rate_limits[1].algorithm: must be one of [token_bucket, sliding_window, fixed_window, leaky_bucket, concurrency] (was 'leaky')",
        "routes[0].rate_limits[1].grid_timeout: must be at most 10s",
        "routes[0].rate_limits[2].limit: is required"),
        e.errors().stream().map(ConfigError::toString).sorted().toList());
  }
}
