package io.gridgate.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Revocations in the IMap {@link GridNames#REVOCATIONS} (key {@code jti:ID} or {@code sub:SUBJECT},
 * value the "issued before" time, a time to live until the covered tokens expire). A revocation
 * is merged into what is stored ({@link MergeRevocation}), then written to this node's disk. An
 * entry listener feeds each node's replica, another each node's disk; events arrive on
 * Hazelcast's event threads and only touch the replica's concurrent maps and the disk's queue.
 */
public final class HazelcastRevocationStore implements RevocationStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, long[]> map;
  private volatile IdentityDisk disk = IdentityDisk.NONE;

  public HazelcastRevocationStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.REVOCATIONS);
  }

  @Override
  public Future<Void> revoke(Revocation revocation) {
    long[] value = revocation.times();
    return calls.await("revocation_put", map.submitToKey(revocation.key(), new MergeRevocation(value)))
        .compose(changed -> disk.saveRevocation(revocation.key(), value));
  }

  @Override
  public Future<List<Revocation>> list() {
    return vertx.executeBlocking(() -> {
      List<Revocation> all = new ArrayList<>();
      map.forEach((key, value) -> all.add(Revocation.fromKey(key, value[0], value[1])));
      return all;
    });
  }

  @Override
  public Future<Void> feed(RevocationList replica) {
    return ReplicaFeed.listenThenLoad(vertx, map, new Changes(replica),
        (key, value) -> replica.add(Revocation.fromKey(key, value[0], value[1])));
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    return DiskRestore.offer(map, disk, new ToDisk(disk), IdentityDisk::revocations, MergeRevocation::new,
        disk::journalRevocation).onSuccess(v -> this.disk = disk);
  }

  /** Entry events of every member's revocations, queued for this node's disk. */
  private record ToDisk(IdentityDisk disk) implements EntryAddedListener<String, long[]>,
      EntryUpdatedListener<String, long[]> {
    @Override
    public void entryAdded(EntryEvent<String, long[]> event) {
      disk.journalRevocation(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, long[]> event) {
      entryAdded(event);
    }
  }

  /** Entry events of every member's revocations, applied to this node's replica. */
  private record Changes(RevocationList replica) implements EntryAddedListener<String, long[]>,
      EntryUpdatedListener<String, long[]>, EntryRemovedListener<String, long[]>, EntryExpiredListener<String, long[]> {
    @Override
    public void entryAdded(EntryEvent<String, long[]> event) {
      replica.add(Revocation.fromKey(event.getKey(), event.getValue()[0], event.getValue()[1]));
    }

    @Override
    public void entryUpdated(EntryEvent<String, long[]> event) {
      entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, long[]> event) {
      replica.remove(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, long[]> event) {
      replica.remove(event.getKey());
    }
  }
}
