package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.MapListener;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Restores an IMap from a node's disk: what the disk holds is offered through merge entry processors, then the map is copied back. */
final class DiskRestore {
  private DiskRestore() {}

  /**
   * On a worker thread, after the disk's purge: registers {@code toDisk} (the map's changes from
   * now on go to the disk), runs {@code merge} of each of {@code stored}'s values on its key's
   * owner, all at once, then hands every entry of the map to {@code copyBack}.
   */
  static <K, V> Future<Void> offer(IMap<K, V> map, IdentityDisk disk, MapListener toDisk,
                                   Function<IdentityDisk, Map<K, V>> stored,
                                   Function<V, EntryProcessor<K, V, Boolean>> merge, BiConsumer<K, V> copyBack) {
    return disk.afterPurge(purged -> {
      map.addEntryListener(toDisk, true);
      List<CompletableFuture<Boolean>> offers = new ArrayList<>();
      stored.apply(purged).forEach((key, value) ->
          offers.add(map.submitToKey(key, merge.apply(value)).toCompletableFuture()));
      CompletableFuture.allOf(offers.toArray(CompletableFuture[]::new)).join();
      map.forEach(copyBack);
      return null;
    });
  }
}
