package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code circuit_breaker} and {@code bulkhead} sections of an upstream: defaults, values and errors with their YAML paths. */
class BreakerConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String withUpstreamExtras(String extras) {
    return """
        upstreams:
          u:
            targets: [{address: "10.0.0.1:8080"}]
        %s
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u}
        """.formatted(extras.indent(4).stripTrailing());
  }

  private UpstreamSpec upstream(String extras) {
    return parser.parse(withUpstreamExtras(extras)).upstreams().get("u");
  }

  private List<String> errorsOf(String extras) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(withUpstreamExtras(extras)));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void absentSectionsMeanNoBreakerAndNoBulkhead() {
    UpstreamSpec u = upstream("");
    assertNull(u.circuitBreaker());
    assertNull(u.bulkhead());
  }

  @Test
  void anEmptyBreakerGetsTheDefaultsWithFiveConsecutiveFailures() {
    assertEquals(new CircuitBreakerSpec(0, 20, 5, Duration.ofSeconds(10), Duration.ofSeconds(5), 3,
        CircuitBreakerSpec.Scope.CLUSTER), upstream("circuit_breaker: {}").circuitBreaker());
  }

  @Test
  void everyFieldIsRead() {
    UpstreamSpec u = upstream("""
        circuit_breaker:
          failure_ratio: 0.25
          min_calls: 8
          window: 30s
          open_for: 500ms
          half_open_successes: 2
          scope: local
        bulkhead: {max_concurrent: 200}
        """);
    assertEquals(new CircuitBreakerSpec(0.25, 8, 0, Duration.ofSeconds(30), Duration.ofMillis(500), 2,
        CircuitBreakerSpec.Scope.LOCAL), u.circuitBreaker(), "a ratio alone turns the consecutive trigger off");
    assertEquals(new BulkheadSpec(200), u.bulkhead());
    assertEquals(1.0, upstream("circuit_breaker: {failure_ratio: 1, consecutive_failures: 3}").circuitBreaker().failureRatio());
  }

  @Test
  void mistakesAreReportedWithTheirPaths() {
    assertEquals(List.of(
            "upstreams.u.circuit_breaker.failure_ratio: must be greater than 0 and at most 1 (was 1.5)",
            "upstreams.u.circuit_breaker.min_calls: must be between 1 and 1000000 (was 0)",
            "upstreams.u.circuit_breaker.consecutive_failures: must be an integer",
            "upstreams.u.circuit_breaker.window: must be between 100ms and 60m (was '50ms')",
            "upstreams.u.circuit_breaker.open_for: must be a duration such as 500ms, 2s, 5m or 1h (was 'soon')",
            "upstreams.u.circuit_breaker.half_open_successes: must be between 1 and 1000 (was 0)",
            "upstreams.u.circuit_breaker.scope: must be one of [cluster, local] (was 'global')"),
        errorsOf("""
            circuit_breaker:
              failure_ratio: 1.5
              min_calls: 0
              consecutive_failures: five
              window: 50ms
              open_for: soon
              half_open_successes: 0
              scope: global
            """));
  }

  @Test
  void unknownFieldsAndABadBulkheadAreRejected() {
    assertEquals(List.of(
            "upstreams.u.circuit_breaker.failure_rate: unknown field (allowed: consecutive_failures, failure_ratio, "
                + "half_open_successes, min_calls, open_for, scope, window)",
            "upstreams.u.circuit_breaker.failure_ratio: must be a number",
            "upstreams.u.bulkhead.max_concurrent: must be between 1 and 1000000 (was 0)"),
        errorsOf("""
            circuit_breaker: {failure_rate: 0.5, failure_ratio: half}
            bulkhead: {max_concurrent: 0}
            """));
    assertEquals(List.of(
            "upstreams.u.bulkhead.max: unknown field (allowed: max_concurrent)",
            "upstreams.u.bulkhead.max_concurrent: is required"),
        errorsOf("bulkhead: {max: 5}"));
    assertEquals(List.of("upstreams.u.circuit_breaker: must be a mapping"), errorsOf("circuit_breaker: on"));
  }
}
