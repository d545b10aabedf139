package io.gridgate.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Consumers in the IMap {@link GridNames#CONSUMERS} (id → consumer JSON with hashed keys and a
 * revision; a deleted one stays as a tombstone). Admin changes are rare: they run on a worker
 * thread as compare-and-set loops, then wait for this node's disk. An entry listener feeds each
 * node's directory, another each node's disk.
 */
public final class HazelcastConsumerStore implements ConsumerStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, String> map;
  private volatile IdentityDisk disk = IdentityDisk.NONE;

  public HazelcastConsumerStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.CONSUMERS);
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
    return ReplicaFeed.listenThenLoad(vertx, map, new Changes(directory), (id, json) -> directory.put(parse(json)));
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    long oldestKept = System.currentTimeMillis() - IdentityDisk.TOMBSTONE_RETENTION.toMillis();
    return DiskRestore.offer(map, disk, new ToDisk(disk), IdentityDisk::consumers, MergeConsumer::new, (id, json) -> {
      if (IdentityDisk.isExpiredTombstone(json, oldestKept)) {
        map.remove(id, json);
      } else {
        disk.journalConsumer(id, json);
      }
    }).onSuccess(v -> this.disk = disk);
  }

  private static Consumer parse(String json) {
    return Consumer.fromJson(new JsonObject(json));
  }

  /** Entry events of every member's changes, queued for this node's disk. */
  private record ToDisk(IdentityDisk disk) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      disk.journalConsumer(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      entryAdded(event);
    }
  }

  /** Entry events of every member's changes, applied to this node's directory. */
  private record Changes(ConsumerDirectory directory) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      directory.put(parse(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      directory.remove(event.getKey());
    }
  }
}
