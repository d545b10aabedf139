package io.gridgate.telemetry;

import io.gridgate.config.RateLimitSpec;
import io.gridgate.ratelimit.LimiterMetrics;
import io.gridgate.ratelimit.LimiterStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer counters of each declared limit: {@code gridgate_rate_limit_decisions_total} by
 * outcome (allowed, rejected, failed_open, failed_closed) and {@code gridgate_rate_limit_grid_calls_total}
 * / {@code gridgate_rate_limit_grid_failures_total}; removed when a push drops the limit.
 */
final class RateLimitMeters implements LimiterMetrics {
  private final MeterRegistry registry;
  private final String member;
  private final Map<RateLimitSpec, List<Meter>> meters = new ConcurrentHashMap<>();

  RateLimitMeters(MeterRegistry registry, String member) {
    this.registry = registry;
    this.member = member;
  }

  @Override
  public void register(RateLimitSpec spec, LimiterStats stats) {
    meters.put(spec, List.of(
        decisions(spec, stats, "allowed", LimiterStats::allowed),
        decisions(spec, stats, "rejected", LimiterStats::rejected),
        decisions(spec, stats, "failed_open", LimiterStats::failedOpen),
        decisions(spec, stats, "failed_closed", LimiterStats::failedClosed),
        counter("gridgate.rate.limit.grid.calls", "Calls to the shared buckets (lease takes and returns)", spec, stats,
            LimiterStats::gridCalls),
        counter("gridgate.rate.limit.grid.failures", "Grid calls that failed or missed the limit's deadline", spec,
            stats, LimiterStats::gridFailures)));
  }

  @Override
  public void remove(RateLimitSpec spec) {
    List<Meter> removed = meters.remove(spec);
    if (removed != null) {
      removed.forEach(registry::remove);
    }
  }

  private Meter decisions(RateLimitSpec spec, LimiterStats stats, String outcome, ToDoubleFunction<LimiterStats> value) {
    return FunctionCounter.builder("gridgate.rate.limit.decisions", stats, value)
        .description("Rate-limit decisions by outcome; failed_open ones were taken without the grid")
        .tags("limit", spec.id(), "outcome", outcome, "member", member)
        .register(registry);
  }

  private Meter counter(String name, String description, RateLimitSpec spec, LimiterStats stats,
                        ToDoubleFunction<LimiterStats> value) {
    return FunctionCounter.builder(name, stats, value).description(description)
        .tags("limit", spec.id(), "member", member).register(registry);
  }
}
