package io.gridgate.upstream;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * Where circuit-breaker state lives: {@link io.gridgate.grid.LocalBreakerStore} for one node, or
 * {@link io.gridgate.grid.HazelcastBreakerStore} shared by the cluster. Every change is atomic on
 * the state's owner and answered with the resulting state; nodes also hear of changes made by
 * others.
 */
public interface BreakerStore {

  /** The id a prober is known by in this store. */
  String memberId();

  /**
   * Hands {@code listener} the current state of {@code upstream}'s breaker and then every change
   * (possibly out of order: use the versions); replaces an earlier listener of that upstream.
   */
  void watch(String upstream, Consumer<BreakerView> listener);

  /** A node's detector tripped: opens a closed breaker for {@code openForMillis}. */
  Future<BreakerView> trip(String upstream, long openForMillis);

  /** This node, the prober, saw a probe fail: opens the breaker again for {@code openForMillis}. */
  Future<BreakerView> probeFailed(String upstream, long openForMillis);

  /** Asks to become the only prober, for {@code claimForMillis}, once the open period is over. */
  Future<BreakerView> claimProbe(String upstream, long claimForMillis);

  /** This node, the prober, saw enough successful probes: closes the breaker. */
  Future<BreakerView> probesSucceeded(String upstream);
}
