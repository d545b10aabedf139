package io.gridgate.grid;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.MapListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BiConsumer;

/** Fills a node-local replica of an IMap and keeps it current: listen first, then load, so no change falls in between. */
final class ReplicaFeed {
  private ReplicaFeed() {}

  /** Completes once every entry stored now was handed to {@code load}; {@code listener} gets every change from before that. */
  static <K, V> Future<Void> listenThenLoad(Vertx vertx, IMap<K, V> map, MapListener listener, BiConsumer<K, V> load) {
    map.addEntryListener(listener, true);
    return vertx.executeBlocking(() -> {
      map.forEach(load);
      return null;
    });
  }
}
