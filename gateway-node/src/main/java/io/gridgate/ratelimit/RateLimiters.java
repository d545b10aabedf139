package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.gridgate.config.RateLimitSpec.Algorithm;
import io.gridgate.config.RateLimitSpec.Scope;
import io.gridgate.config.RouteSpec;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's limiters, one per declared limit, kept across configuration versions while the limit
 * is unchanged (so are its leases and counts), and swept periodically. Without a shared store (a
 * standalone node) a cluster limit counts on the node alone, which is then the whole cluster.
 */
public final class RateLimiters {
  static final long SWEEP_MILLIS = 100;
  private final Vertx vertx;
  private final BucketStore store;
  private final ClusterView cluster;
  private final LimiterMetrics metrics;
  private final NodeClock clock;
  private volatile Map<RateLimitSpec, Limiter> limiters = Map.of();
  private long sweepTimer = -1;

  /** Limiters reading the time from {@code clock}: the node's (tests move it by hand). */
  public RateLimiters(Vertx vertx, BucketStore store, ClusterView cluster, LimiterMetrics metrics, NodeClock clock) {
    this.vertx = vertx;
    this.store = store;
    this.cluster = cluster;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Limiters of a node without a cluster or metrics. */
  public static RateLimiters standalone(Vertx vertx, NodeClock clock) {
    return new RateLimiters(vertx, null, ClusterView.alone(), LimiterMetrics.NONE, clock);
  }

  /** The limits of every route that has any, by route id; limiters of limits no longer declared are closed. */
  public synchronized Map<String, RouteRateLimits> compile(List<RouteSpec> routes) {
    Map<RateLimitSpec, Limiter> next = new HashMap<>();
    Map<String, RouteRateLimits> byRoute = new HashMap<>();
    for (RouteSpec route : routes) {
      if (route.rateLimits().isEmpty()) {
        continue;
      }
      List<TierChoice> choices = new ArrayList<>();
      List<LimitKeys> keys = new ArrayList<>();
      for (RateLimitSpec spec : route.rateLimits()) {
        Map<String, Limiter> tiers = new HashMap<>();
        spec.tiers().keySet().forEach(group -> tiers.put(group, limiterOf(spec.forTier(group), next)));
        choices.add(new TierChoice(limiterOf(spec, next), tiers));
        keys.add(new LimitKeys(spec.key(), route.id(), route.match().path().value()));
      }
      byRoute.put(route.id(), new RouteRateLimits(choices, keys, route.rateLimitHeaders()));
    }
    limiters.forEach((spec, limiter) -> {
      if (!next.containsKey(spec)) {
        limiter.close();
        metrics.remove(spec);
      }
    });
    next.forEach((spec, limiter) -> {
      if (!limiters.containsKey(spec)) {
        metrics.register(spec, limiter.stats());
      }
    });
    limiters = Map.copyOf(next);
    return Map.copyOf(byRoute);
  }

  /** The limiter of {@code spec} in the version being compiled: the one it had before, or a new one. */
  private Limiter limiterOf(RateLimitSpec spec, Map<RateLimitSpec, Limiter> next) {
    return next.computeIfAbsent(spec, s -> limiters.containsKey(s) ? limiters.get(s) : create(s));
  }

  private Limiter create(RateLimitSpec spec) {
    if (spec.algorithm() == Algorithm.CONCURRENCY) {
      return new ConcurrencyLimiter(spec);
    }
    if (spec.scope() == Scope.LOCAL || store == null) {
      return new LocalLimiter(spec, clock);
    }
    return spec.algorithm() == Algorithm.LEAKY_BUCKET
        ? new DirectLimiter(vertx, spec, store, cluster, clock)
        : new ClusterLimiter(vertx, spec, store, cluster, clock);
  }

  /** Starts the periodic sweep (idle leases back to the grid, idle keys forgotten). */
  public void start() {
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> limiters.values().forEach(Limiter::sweep));
  }

  /** Stops sweeping and gives every leased permit back. */
  public synchronized void stop() {
    vertx.cancelTimer(sweepTimer);
    limiters.values().forEach(Limiter::close);
  }

  /** Each declared limit's counters, by limit id. */
  public Map<String, LimiterStats> stats() {
    Map<String, LimiterStats> out = new HashMap<>();
    limiters.forEach((spec, limiter) -> out.put(spec.id(), limiter.stats()));
    return out;
  }
}
