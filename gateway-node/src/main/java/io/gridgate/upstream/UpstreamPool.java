package io.gridgate.upstream;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.CircuitBreakerSpec;
import io.gridgate.config.HashOn;
import io.gridgate.config.TargetSpec;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.http.ClientRequest;
import io.vertx.core.http.Cookie;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A named pool of targets and the strategy that spreads requests over them, with the upstream's
 * circuit breaker and bulkhead when it has them.
 */
public final class UpstreamPool {
  private final UpstreamSpec spec;
  private final Target[] targets;
  private final LoadBalancer balancer;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final LongSupplier clockNanos;

  /**
   * A new version of an upstream: targets whose definition and passive check did not change keep
   * their health, ejection and in-flight state from {@code previous} (which may be null), and so do
   * an unchanged circuit breaker and bulkhead. A cluster-scoped breaker keeps its state in
   * {@code breakers}; a new breaker, like passive ejection, reads the time from {@code clock}.
   */
  public UpstreamPool(UpstreamSpec spec, UpstreamPool previous, BreakerStore breakers, NodeClock clock) {
    this.spec = spec;
    this.clockNanos = clock.nanos();
    this.targets = spec.targets().stream().map(t -> carriedOver(t, previous)).toArray(Target[]::new);
    this.balancer = LoadBalancer.create(spec.strategy(), targets);
    this.breaker = previous != null && Objects.equals(previous.spec.circuitBreaker(), spec.circuitBreaker())
        ? previous.breaker : newBreaker(breakers, clock);
    this.bulkhead = previous != null && Objects.equals(previous.spec.bulkhead(), spec.bulkhead())
        ? previous.bulkhead : spec.bulkhead() == null ? null : new Bulkhead(spec.bulkhead().maxConcurrent());
  }

  private CircuitBreaker newBreaker(BreakerStore breakers, NodeClock clock) {
    CircuitBreakerSpec cb = spec.circuitBreaker();
    if (cb == null) {
      return null;
    }
    BreakerStore store = cb.scope() == CircuitBreakerSpec.Scope.LOCAL
        ? new LocalBreakerStore(clock.millis()) : breakers;
    return new CircuitBreaker(spec.name(), cb, store, clock.nanos());
  }

  private Target carriedOver(TargetSpec target, UpstreamPool previous) {
    if (previous != null && previous.spec.passiveHealthCheck().equals(spec.passiveHealthCheck())) {
      for (Target old : previous.targets) {
        if (old.spec().equals(target)) {
          return old;
        }
      }
    }
    return new Target(target, spec.passiveHealthCheck());
  }

  public UpstreamSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  /** The circuit breaker, or null when the upstream has none. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The bulkhead, or null when the upstream has none. */
  public Bulkhead bulkhead() {
    return bulkhead;
  }

  public List<Target> targets() {
    return List.of(targets);
  }

  /** Picks a target for a request, or null when no target is available. */
  public Target pick(ClientRequest request, String clientAddress, Set<Target> tried) {
    String key = spec.strategy() == UpstreamSpec.BalancingStrategy.CONSISTENT_HASH
        ? hashKey(request, clientAddress) : null;
    return balancer.pick(key, tried, nowNanos());
  }

  /** Now on the clock passive ejection is timed by (the node's), in nanos. */
  public long nowNanos() {
    return clockNanos.getAsLong();
  }

  private String hashKey(ClientRequest request, String clientAddress) {
    HashOn on = spec.hashOn();
    return switch (on.source()) {
      case HEADER -> request.getHeader(on.name());
      case COOKIE -> {
        Cookie cookie = request.getCookie(on.name());
        yield cookie == null ? null : cookie.getValue();
      }
      case CLIENT_ADDRESS -> clientAddress;
    };
  }
}
