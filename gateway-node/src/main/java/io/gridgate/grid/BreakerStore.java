package io.gridgate.grid;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where circuit-breaker state lives: {@link LocalBreakerStore} for one node, or
 * {@link HazelcastBreakerStore} shared by the cluster. Every change is atomic on the state's
 * owner and answered with the resulting state; nodes also hear of changes made by others.
 */
public abstract class BreakerStore {
  private final String memberId;
  private final Map<String, Consumer<BreakerView>> listeners = new ConcurrentHashMap<>();

  BreakerStore(String memberId) {
    this.memberId = memberId;
  }

  /** The id a prober is known by in this store. */
  public final String memberId() {
    return memberId;
  }

  /**
   * Hands {@code listener} the current state of {@code upstream}'s breaker and then every change
   * (possibly out of order: use the versions); replaces an earlier listener of that upstream.
   */
  public final void watch(String upstream, Consumer<BreakerView> listener) {
    listeners.put(upstream, listener);
    change(upstream, new ReadBreaker()).onSuccess(listener::accept);
  }

  /** The listener watching {@code upstream}, or null. */
  final Consumer<BreakerView> listener(String upstream) {
    return listeners.get(upstream);
  }

  /** Applies {@code change} atomically and answers the resulting state, with times left on the applier's clock. */
  abstract Future<BreakerView> change(String upstream, BreakerProcessor change);

  /** A node's detector tripped: opens a closed breaker for {@code openForMillis}. */
  public Future<BreakerView> trip(String upstream, long openForMillis) {
    return change(upstream, new OpenBreaker(null, openForMillis));
  }

  /** This node, the prober, saw a probe fail: opens the breaker again for {@code openForMillis}. */
  public Future<BreakerView> probeFailed(String upstream, long openForMillis) {
    return change(upstream, new OpenBreaker(memberId, openForMillis));
  }

  /** Asks to become the only prober, for {@code claimForMillis}, once the open period is over. */
  public Future<BreakerView> claimProbe(String upstream, long claimForMillis) {
    return change(upstream, new ClaimProbe(memberId, claimForMillis));
  }

  /** This node, the prober, saw enough successful probes: closes the breaker. */
  public Future<BreakerView> probesSucceeded(String upstream) {
    return change(upstream, new CloseBreaker(memberId));
  }
}
