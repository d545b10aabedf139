package io.gridgate.telemetry;

import io.gridgate.cache.CacheMetrics;
import io.gridgate.cache.ResponseStore;
import io.gridgate.cluster.ClusterHealth;
import io.gridgate.distribution.ConfigService;
import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.proxy.GatewayState;
import io.gridgate.proxy.RequestObserver;
import io.gridgate.grid.GridCallMetrics;
import io.gridgate.grid.ReplicaMetrics;
import io.gridgate.upstream.Bulkhead;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.micrometer.core.instrument.FunctionCounter;
import io.gridgate.ratelimit.LimiterMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics (vertx-micrometer-metrics), scraped at {@code /metrics} on the
 * admin port: JVM and event-bus metrics from Vert.x, and the node's own gauges — the configuration
 * version it has applied, its view of the cluster and its rate limits — and per-upstream
 * circuit-breaker and bulkhead meters, all tagged with its member id.
 */
public final class NodeMetrics {
  private static final String TARGET_HEALTHY = "gridgate.upstream.target.healthy";
  private NodeMetrics() {}

  /**
   * Metrics options for a node's Vert.x. Vert.x's own HTTP server and client metrics stay off: the
   * data plane's {@link RequestMeters} know the route, the upstream and the gateway's own time.
   */
  public static MetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
  }

  /** The registry of a Vert.x started with {@link #options()}, or null when metrics are off. */
  public static MeterRegistry registry() {
    return BackendRegistries.getDefaultNow();
  }

  /** Timers of a member's grid calls, or none when metrics are off. */
  public static GridCallMetrics gridCallMetrics(String member) {
    MeterRegistry registry = registry();
    return registry == null ? GridCallMetrics.NONE : new GridCallMeters(registry, member);
  }

  /** Counts of a member's replica re-reads, or none when metrics are off. */
  public static ReplicaMetrics replicaMetrics(String member) {
    MeterRegistry registry = registry();
    return registry == null ? ReplicaMetrics.NONE : new ReplicaMeters(registry, member);
  }

  /** The data plane's per-request meters, or none when metrics are off. */
  public static RequestObserver requestMeters(String member) {
    MeterRegistry registry = registry();
    return registry == null ? RequestObserver.NONE : new RequestMeters(registry, member);
  }

  /** The response cache's request counts and the gauges of {@code store}, or none when metrics are off. */
  public static CacheMetrics cacheMetrics(String member, ResponseStore store) {
    MeterRegistry registry = registry();
    return registry == null ? CacheMetrics.NONE : new ResponseCacheMeters(registry, member, store);
  }

  /** Each declared limit's decisions and grid calls, tagged with the limit's id and the member. */
  public static LimiterMetrics limiterMetrics(String member) {
    MeterRegistry registry = registry();
    return registry == null ? LimiterMetrics.NONE : new RateLimitMeters(registry, member);
  }

  public static void bind(MeterRegistry registry, ConfigService configs, ClusterHealth cluster, EventLoopDelay eventLoops) {
    String member = configs.memberId();
    Gauge.builder("gridgate.event.loop.delay", eventLoops, EventLoopDelay::worstLastSecond).baseUnit("seconds")
        .description("Worst delay of any event loop in running a scheduled task over the last second")
        .tag("member", member).register(registry);
    Gauge.builder("gridgate.config.applied.version", configs, ConfigService::appliedVersion)
        .description("Configuration version this node applied").tag("member", member).register(registry);
    FunctionCounter.builder("gridgate.config.merge.conflicts", configs, ConfigService::mergeConflicts)
        .description("Configuration conflicts this node resolved after a split healed (the loser stays in the history)")
        .tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.members", cluster, ClusterHealth::members)
        .description("Cluster members this node sees").tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.expected.members", cluster, ClusterHealth::expected)
        .description("Cluster size the operator expects").tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.degraded", cluster, c -> c.isDegraded() ? 1 : 0)
        .description("1 while fewer members than expected are seen past the grace period")
        .tag("member", member).register(registry);
  }

  /**
   * Meters of every upstream of the current state that has a circuit breaker or a bulkhead; called
   * after each configuration change (registering an existing meter again changes nothing). They read
   * the current pool of their upstream, so a breaker or bulkhead replaced by a push restarts its counts.
   */
  public static void bindUpstreams(MeterRegistry registry, String member, Supplier<GatewayState> state) {
    bindTargets(registry, member, state);
    for (UpstreamPool pool : state.get().pools().values()) {
      String name = pool.name();
      if (pool.breaker() != null) {
        Gauge.builder("gridgate.circuit.breaker.state", state,
                current(name, UpstreamPool::breaker, b -> b.phase().ordinal()))
            .description("Circuit breaker state: 0 closed, 1 open, 2 half-open").strongReference(true)
            .tag("member", member).tag("upstream", name).register(registry);
        for (Phase to : Phase.values()) {
          FunctionCounter.builder("gridgate.circuit.breaker.transitions", state,
                  current(name, UpstreamPool::breaker, b -> b.transitions(to)))
              .description("Circuit breaker transitions this node saw").tag("member", member)
              .tag("upstream", name).tag("to", to.name().toLowerCase(Locale.ROOT)).register(registry);
        }
      }
      if (pool.bulkhead() != null) {
        FunctionCounter.builder("gridgate.bulkhead.rejected", state, current(name, UpstreamPool::bulkhead, Bulkhead::rejected))
            .description("Requests refused because the upstream's bulkhead was full")
            .tag("member", member).tag("upstream", name).register(registry);
      }
    }
  }

  /**
   * {@code gridgate_upstream_target_healthy}: 1 while a target may receive traffic (actively healthy
   * and not ejected), else 0; the gauges of targets a push removed are removed.
   */
  private static void bindTargets(MeterRegistry registry, String member, Supplier<GatewayState> state) {
    Set<List<String>> current = new HashSet<>();
    for (UpstreamPool pool : state.get().pools().values()) {
      for (Target target : pool.targets()) {
        String address = target.toString();
        if (!current.add(List.of(pool.name(), address))
            || registry.find(TARGET_HEALTHY).tags("member", member, "upstream", pool.name(), "target", address).gauge() != null) {
          continue; // registered before: Micrometer would warn about a duplicate
        }
        Gauge.builder(TARGET_HEALTHY, state, s -> isAvailable(s.get(), pool.name(), address))
            .description("1 while the upstream target may receive traffic: actively healthy and not ejected")
            .strongReference(true).tags("member", member, "upstream", pool.name(), "target", address)
            .register(registry);
      }
    }
    for (Gauge gauge : registry.find(TARGET_HEALTHY).tag("member", member).gauges()) {
      if (!current.contains(List.of(gauge.getId().getTag("upstream"), gauge.getId().getTag("target")))) {
        registry.remove(gauge);
      }
    }
  }

  private static double isAvailable(GatewayState state, String upstream, String address) {
    UpstreamPool pool = state.pools().get(upstream);
    if (pool == null) {
      return 0;
    }
    long now = System.nanoTime();
    for (Target target : pool.targets()) {
      if (target.toString().equals(address)) {
        return target.isAvailable(now) ? 1 : 0;
      }
    }
    return 0;
  }

  /** Reads {@code value} of the current pool's part, or 0 when the upstream no longer has it. */
  private static <T> ToDoubleFunction<Supplier<GatewayState>> current(String upstream, Function<UpstreamPool, T> part,
                                                                      ToDoubleFunction<T> value) {
    return state -> {
      UpstreamPool pool = state.get().pools().get(upstream);
      T it = pool == null ? null : part.apply(pool);
      return it == null ? 0 : value.applyAsDouble(it);
    };
  }
}
