package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.ConsumerStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Consumers in the IMap {@link GridNames#CONSUMERS} (id → consumer JSON with hashed keys and a
 * revision; a deleted one stays as a tombstone). Admin changes are rare: they run on a worker
 * thread as compare-and-set loops, then wait for this node's disk. A {@link MapReplica} feeds each
 * node's directory and, through its disk's journal, the node's disk.
 */
public final class HazelcastConsumerStore implements ConsumerStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, String> map;
  private final HazelcastReconciliation reconciliation;
  private volatile IdentityDisk disk = IdentityDisk.NONE;

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
        Consumer next = ConsumerChange.apply(current == null ? null : parse(current), change, System.currentTimeMillis());
        if (next == null) {
          return null;
        }
        String json = next.toJson().encode();
        if (current == null ? map.putIfAbsent(id, json) == null : map.replace(id, current, json)) {
          disk.storeConsumer(id, json);
          return next;
        }
      }
    });
  }

  @Override
  public Future<Consumer> get(String id) {
    return calls.await("consumer_read", map.getAsync(id))
        .map(json -> json == null ? null : parse(json))
        .map(consumer -> consumer == null || consumer.deleted() ? null : consumer);
  }

  @Override
  public Future<List<Consumer>> list() {
    return vertx.executeBlocking(() -> {
      List<Consumer> all = new ArrayList<>();
      map.values().forEach(json -> all.add(parse(json)));
      all.removeIf(Consumer::deleted);
      return all;
    });
  }

  @Override
  public Future<Void> feed(ConsumerDirectory directory) {
    return reconciliation.replica("consumers", map, Digest::text, new Into(directory, disk)).start().mapEmpty();
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    long oldestKept = System.currentTimeMillis() - IdentityDisk.TOMBSTONE_RETENTION.toMillis();
    return DiskRestore.offer(map, disk, IdentityDisk::consumers, MergeConsumer::new)
        .compose(offered -> vertx.<Void>executeBlocking(() -> {
          map.forEach((id, json) -> {
            if (IdentityDisk.isExpiredTombstone(json, oldestKept)) {
              map.remove(id, json);
            }
          });
          return null;
        }))
        .onSuccess(v -> this.disk = disk);
  }

  private static Consumer parse(String json) {
    return Consumer.fromJson(new JsonObject(json));
  }

  /** Stored consumers into this node's directory and its disk's journal, heard of or re-read alike. */
  private record Into(ConsumerDirectory directory, IdentityDisk disk) implements MapReplica.Sink<String> {
    @Override
    public void put(String id, String json) {
      directory.put(parse(json));
      disk.journalConsumer(id, json);
    }

    @Override
    public void remove(String id) {
      directory.remove(id);
    }
  }
}
