package io.gridgate.telemetry;

import io.gridgate.grid.GridCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@code gridgate_grid_operation_duration_seconds} by operation and outcome ({@code ok}, {@code error}): 100 µs to 5 s. */
public final class GridCallMeters implements GridCallMetrics {
  private static final Duration[] BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

  private final MeterRegistry registry;
  private final String member;
  private final Map<String, Timer> ok = new ConcurrentHashMap<>();
  private final Map<String, Timer> failed = new ConcurrentHashMap<>();

  public GridCallMeters(MeterRegistry registry, String member) {
    this.registry = registry;
    this.member = member;
  }

  @Override
  public void record(String operation, boolean succeeded, long nanos) {
    (succeeded ? ok : failed).computeIfAbsent(operation, op -> timer(op, succeeded ? "ok" : "error"))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String operation, String outcome) {
    return Timer.builder("gridgate.grid.operation.duration")
        .description("Hazelcast calls of this node, from the call until Hazelcast answered")
        .serviceLevelObjectives(BUCKETS)
        .tags("member", member, "operation", operation, "outcome", outcome)
        .register(registry);
  }
}
