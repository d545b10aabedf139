package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Restores an IMap from a node's disk: what the disk holds is offered through merge entry
 * processors. The map reaches the disk the other way through the node's replica feed, whose
 * first load (and every re-read) hands each entry to the disk's journal.
 */
final class DiskRestore {
  private DiskRestore() {}

  /**
   * On a worker thread, after the disk's purge: runs {@code merge} of each of {@code stored}'s
   * values on its key's owner, all at once, and waits for them.
   */
  static <K, V> Future<Void> offer(IMap<K, V> map, IdentityDisk disk, Function<IdentityDisk, Map<K, V>> stored,
                                   Function<V, EntryProcessor<K, V, Boolean>> merge) {
    return disk.afterPurge(purged -> {
      List<CompletableFuture<Boolean>> offers = new ArrayList<>();
      stored.apply(purged).forEach((key, value) ->
          offers.add(map.submitToKey(key, merge.apply(value)).toCompletableFuture()));
      CompletableFuture.allOf(offers.toArray(CompletableFuture[]::new)).join();
      return null;
    });
  }
}
