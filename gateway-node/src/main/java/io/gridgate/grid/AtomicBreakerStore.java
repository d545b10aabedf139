package io.gridgate.grid;

import io.gridgate.upstream.BreakerStore;
import io.gridgate.upstream.BreakerView;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link BreakerStore} whose every change is one {@link BreakerProcessor} applied atomically on
 * the state's owner: {@link LocalBreakerStore} for one node, or {@link HazelcastBreakerStore}
 * shared by the cluster.
 */
abstract class AtomicBreakerStore implements BreakerStore {
  private final String memberId;
  private final Map<String, Consumer<BreakerView>> listeners = new ConcurrentHashMap<>();

  AtomicBreakerStore(String memberId) {
    this.memberId = memberId;
  }

  @Override
  public final String memberId() {
    return memberId;
  }

  @Override
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

  @Override
  public Future<BreakerView> trip(String upstream, long openForMillis) {
    return change(upstream, new OpenBreaker(null, openForMillis));
  }

  @Override
  public Future<BreakerView> probeFailed(String upstream, long openForMillis) {
    return change(upstream, new OpenBreaker(memberId, openForMillis));
  }

  @Override
  public Future<BreakerView> claimProbe(String upstream, long claimForMillis) {
    return change(upstream, new ClaimProbe(memberId, claimForMillis));
  }

  @Override
  public Future<BreakerView> probesSucceeded(String upstream) {
    return change(upstream, new CloseBreaker(memberId));
  }
}
