package io.gridgate.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Breaker state shared by the cluster in the IMap {@link GridNames#BREAKERS}, changed only by
 * entry processors on each key's owner. One entry listener per node feeds the local breakers, so
 * serving a request never waits for the grid.
 */
public final class HazelcastBreakerStore extends BreakerStore {
  private final GridCalls calls;
  private final IMap<String, BreakerRecord> map;
  private final Context events;

  public HazelcastBreakerStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast, String memberId) {
    super(memberId);
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.BREAKERS);
    this.events = vertx.getOrCreateContext();
    map.addEntryListener(new Changes(), true);
  }

  @Override
  Future<BreakerView> change(String upstream, BreakerProcessor change) {
    return calls.await("breaker_change", map.submitToKey(upstream, change));
  }

  private void deliver(EntryEvent<String, BreakerRecord> event) {
    Consumer<BreakerView> listener = listener(event.getKey());
    if (listener != null) {
      BreakerView news = event.getValue().asNews();
      events.runOnContext(v -> listener.accept(news));
    }
  }

  /** Entry events of every member's changes, moved onto a Vert.x context. */
  private final class Changes implements EntryAddedListener<String, BreakerRecord>,
      EntryUpdatedListener<String, BreakerRecord> {
    @Override
    public void entryAdded(EntryEvent<String, BreakerRecord> event) {
      deliver(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, BreakerRecord> event) {
      deliver(event);
    }
  }
}
