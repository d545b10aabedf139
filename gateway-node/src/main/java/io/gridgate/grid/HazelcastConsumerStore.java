package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Consumers in the IMap {@link GridNames#CONSUMERS} (id → consumer JSON with hashed keys). Admin
 * changes are rare: they run on a worker thread as compare-and-set loops. A {@link MapReplica}
 * feeds each node's directory.
 */
public final class HazelcastConsumerStore implements ConsumerStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, String> map;
  private final HazelcastReconciliation reconciliation;

  public HazelcastConsumerStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast,
                                HazelcastReconciliation reconciliation) {
    this.vertx = vertx;
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.CONSUMERS);
    this.reconciliation = reconciliation;
  }

  @Override
  public Future<Consumer> change(String id, UnaryOperator<Consumer> change) {
    return vertx.executeBlocking(() -> {
      while (true) {
        String current = map.get(id);
        Consumer next = change.apply(current == null ? null : parse(current));
        boolean done;
        if (next == null) {
          done = current == null || map.remove(id, current);
        } else if (current == null) {
          done = map.putIfAbsent(id, next.toJson().encode()) == null;
        } else {
          done = map.replace(id, current, next.toJson().encode());
        }
        if (done) {
          return next;
        }
      }
    });
  }

  @Override
  public Future<Consumer> get(String id) {
    return calls.await("consumer_read", map.getAsync(id))
        .map(json -> json == null ? null : parse(json));
  }

  @Override
  public Future<List<Consumer>> list() {
    return vertx.executeBlocking(() -> {
      List<Consumer> all = new ArrayList<>();
      map.values().forEach(json -> all.add(parse(json)));
      return all;
    });
  }

  @Override
  public Future<Void> feed(ConsumerDirectory directory) {
    return reconciliation.replica("consumers", map, Digest::text, new Into(directory)).start().mapEmpty();
  }

  private static Consumer parse(String json) {
    return Consumer.fromJson(new JsonObject(json));
  }

  /** Stored consumers into this node's directory, heard of or re-read alike. */
  private record Into(ConsumerDirectory directory) implements MapReplica.Sink<String> {
    @Override
    public void put(String id, String json) {
      directory.put(parse(json));
    }

    @Override
    public void remove(String id) {
      directory.remove(id);
    }
  }
}
