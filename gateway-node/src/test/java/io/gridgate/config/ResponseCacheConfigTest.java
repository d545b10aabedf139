package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routes' {@code cache} sections and {@code node.cache}: defaults, and every mistake reported with its path. */
class ResponseCacheConfigTest {
  private final ConfigParser parser = new ConfigParser();

  @Test
  void defaultsAreSafeAndEveryFieldIsRead() {
    GatewayConfig config = parser.parse("""
        node: {cache: {max_size: 8MB}}
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: plain, match: {path: {prefix: /plain}}, upstream: u}
          - {id: defaults, match: {path: {prefix: /d}}, upstream: u, cache: {}}
          - id: tuned
            match: {path: {prefix: /t}}
            upstream: u
            cache: {ttl: 5m, methods: [get], statuses: [200, 410], vary_headers: [Accept-Language],
                    query: ignore, max_body_size: 64KB, respect_cache_control: false}
        """);
    assertEquals(8L * 1024 * 1024, config.node().cacheMaxSize());
    assertNull(config.routes().get(0).cache());
    assertEquals(new CacheSpec(Duration.ofSeconds(60), Set.of("GET", "HEAD"), Set.of(200, 301, 404), List.of(),
        CacheSpec.QueryKey.ALL, 1024 * 1024, true), config.routes().get(1).cache());
    assertEquals(new CacheSpec(Duration.ofMinutes(5), Set.of("GET"), Set.of(200, 410), List.of("accept-language"),
        CacheSpec.QueryKey.IGNORE, 64 * 1024, false), config.routes().get(2).cache());
    assertEquals(64L * 1024 * 1024, parser.parse("""
        upstreams: {u: {targets: [{address: "10.0.0.1:8080"}]}}
        routes: [{id: r, match: {path: {prefix: /}}, upstream: u}]
        """).node().cacheMaxSize(), "64MB by default");
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse("""
        node: {cache: {max_size: lots, entries: 5}}
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: a, match: {path: {prefix: /a}}, upstream: u}
          - {id: b, match: {path: {prefix: /b}}, upstream: u}
          - id: c
            match: {path: {prefix: /c}}
            upstream: u
            cache: {ttl: 0s, methods: [GET, POST], statuses: [200, 700, ok], vary_headers: ["bad header"],
                    query: sorted, max_body_size: 0, respect_cache_control: maybe, stale: 1s}
          - {id: d, match: {path: {prefix: /d}}, upstream: u, cache: {ttl: 25h, methods: []}}
          - {id: e, match: {path: {prefix: /e}}, upstream: u, cache: yes}
        """));
    assertEquals(List.of(
        "node.cache.entries: unknown field (allowed: max_size)",
        "node.cache.max_size: must be a size such as 8192, 8KB, 10MB or 1GB (was 'lots')",
        "routes[2].cache.stale: unknown field (allowed: max_body_size, methods, query, respect_cache_control, statuses, ttl, vary_headers)",
        "routes[2].cache.ttl: must be greater than zero",
        "routes[2].cache.max_body_size: must be at least 1 byte",
        "routes[2].cache.methods: only GET and HEAD answers are cached (was 'POST')",
        "routes[2].cache.statuses[1]: must be between 100 and 599 (was 700)",
        "routes[2].cache.statuses[2]: must be an integer",
        "routes[2].cache.vary_headers: not a valid header name: 'bad header'",
        "routes[2].cache.query: must be one of [all, ignore] (was 'sorted')",
        "routes[2].cache.respect_cache_control: must be true or false",
        "routes[3].cache.ttl: must be between 1000ms and 1440m (was '25h')",
        "routes[3].cache.methods: must list GET, HEAD or both",
        "routes[4].cache: must be a mapping"),
        e.errors().stream().map(err -> err.path() + ": " + err.reason()).toList());
  }
}
