package io.gridgate.grid;

import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.ConsumerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** The consumers of a standalone node, in memory (tombstones included) and on its disk when it has a data_dir. */
public final class LocalConsumerStore implements ConsumerStore {
  private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();
  private final List<ConsumerDirectory> directories = new CopyOnWriteArrayList<>();
  private volatile IdentityDisk disk = IdentityDisk.NONE;

  @Override
  public synchronized Future<Consumer> change(String id, UnaryOperator<Consumer> change) {
    Consumer next = ConsumerChange.apply(consumers.get(id), change, System.currentTimeMillis());
    if (next == null) {
      return Future.succeededFuture();
    }
    consumers.put(id, next);
    directories.forEach(d -> d.put(next));
    return disk.saveConsumer(id, next.toJson().encode()).map(next);
  }

  @Override
  public Future<Consumer> get(String id) {
    Consumer consumer = consumers.get(id);
    return Future.succeededFuture(consumer == null || consumer.deleted() ? null : consumer);
  }

  @Override
  public Future<List<Consumer>> list() {
    List<Consumer> live = new ArrayList<>(consumers.values());
    live.removeIf(Consumer::deleted);
    return Future.succeededFuture(live);
  }

  @Override
  public Future<Void> feed(ConsumerDirectory directory) {
    consumers.values().forEach(directory::put);
    directories.add(directory);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    return disk.afterPurge(IdentityDisk::consumers).map(stored -> {
      synchronized (this) {
        stored.forEach((id, json) -> consumers.merge(id, Consumer.fromJson(new JsonObject(json)),
            (mine, offered) -> offered.revision() > mine.revision() ? offered : mine));
        this.disk = disk;
      }
      return null;
    });
  }
}
