package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.gridgate.security.RevocationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Revocations in the IMap {@link GridNames#REVOCATIONS} (key {@code jti:ID} or {@code sub:SUBJECT},
 * value the "issued before" time, a time to live until the covered tokens expire). A revocation
 * is merged into what is stored ({@link MergeRevocation}), then written to this node's disk. A
 * {@link MapReplica} feeds each node's replica and its disk's journal; events arrive on Hazelcast's
 * event threads and only touch the replica's concurrent maps and the disk's queue.
 */
public final class HazelcastRevocationStore implements RevocationStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, long[]> map;
  private final HazelcastReconciliation reconciliation;
  private volatile IdentityDisk disk = IdentityDisk.NONE;

  public HazelcastRevocationStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast,
                                  HazelcastReconciliation reconciliation) {
    this.vertx = vertx;
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.REVOCATIONS);
    this.reconciliation = reconciliation;
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
    return reconciliation.replica("revocations", map, new Entries(), new Into(replica, disk)).start().mapEmpty();
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    return DiskRestore.offer(map, disk, IdentityDisk::revocations, MergeRevocation::new).onSuccess(v -> this.disk = disk);
  }

  /** A revocation's digest entry: both times; it counts until the covered tokens expire. */
  private static final class Entries implements Fingerprint<long[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public long of(long[] value) {
      return value[0] * 31 + value[1];
    }

    @Override
    public long countsUntil(long[] value) {
      return value[1];
    }
  }

  /** Revocations into this node's replica and its disk's journal. */
  private record Into(RevocationList replica, IdentityDisk disk) implements MapReplica.Sink<long[]> {
    @Override
    public void put(String key, long[] value) {
      replica.add(Revocation.fromKey(key, value[0], value[1]));
      disk.journalRevocation(key, value);
    }

    @Override
    public void remove(String key) {
      replica.remove(key);
    }
  }
}
