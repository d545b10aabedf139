package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.upstream.BreakerView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Breaker state shared by the cluster in the IMap {@link GridNames#BREAKERS}, changed only by
 * entry processors on each key's owner. One {@link MapReplica} per node feeds the local breakers, so
 * serving a request never waits for the grid; a breaker found stale by a re-read is read again on
 * its owner, whose clock tells the time left.
 */
public final class HazelcastBreakerStore extends AtomicBreakerStore {
  private final GridCalls calls;
  private final IMap<String, BreakerRecord> map;
  private final Context events;

  public HazelcastBreakerStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast, String memberId,
                               HazelcastReconciliation reconciliation) {
    super(memberId);
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.BREAKERS);
    this.events = vertx.getOrCreateContext();
    reconciliation.replica("breakers", map, BreakerRecord::version, new Into()).start();
  }

  @Override
  Future<BreakerView> change(String upstream, BreakerProcessor change) {
    return calls.await("breaker_change", map.submitToKey(upstream, change));
  }

  /** Breaker news to the watching breaker, moved onto a Vert.x context. */
  private final class Into implements MapReplica.Sink<BreakerRecord> {
    @Override
    public void put(String upstream, BreakerRecord record) {
      Consumer<BreakerView> listener = listener(upstream);
      if (listener != null) {
        BreakerView news = record.asNews();
        events.runOnContext(v -> listener.accept(news));
      }
    }

    @Override
    public void reloaded(String upstream, BreakerRecord record) {
      Consumer<BreakerView> listener = listener(upstream);
      if (listener != null) {
        change(upstream, new ReadBreaker()).onSuccess(listener::accept);
      }
    }

    @Override
    public void remove(String upstream) {
      // breaker records are never removed
    }
  }
}
