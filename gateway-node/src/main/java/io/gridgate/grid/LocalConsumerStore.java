package io.gridgate.grid;

import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** The consumers of a standalone node, in memory. */
public final class LocalConsumerStore implements ConsumerStore {
  private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();
  private final List<ConsumerDirectory> directories = new CopyOnWriteArrayList<>();

  @Override
  public synchronized Future<Consumer> change(String id, UnaryOperator<Consumer> change) {
    Consumer next = change.apply(consumers.get(id));
    if (next == null) {
      consumers.remove(id);
      directories.forEach(d -> d.remove(id));
    } else {
      consumers.put(id, next);
      directories.forEach(d -> d.put(next));
    }
    return Future.succeededFuture(next);
  }

  @Override
  public Future<Consumer> get(String id) {
    return Future.succeededFuture(consumers.get(id));
  }

  @Override
  public Future<List<Consumer>> list() {
    return Future.succeededFuture(new ArrayList<>(consumers.values()));
  }

  @Override
  public Future<Void> feed(ConsumerDirectory directory) {
    consumers.values().forEach(directory::put);
    directories.add(directory);
    return Future.succeededFuture();
  }
}
