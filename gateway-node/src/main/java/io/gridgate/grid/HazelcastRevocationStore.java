package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Revocations in the IMap {@link GridNames#REVOCATIONS} (key {@code jti:ID} or {@code sub:SUBJECT},
 * value the "issued before" time, a time to live until the covered tokens expire). A
 * {@link MapReplica} feeds each node's replica; events arrive on Hazelcast's event threads and only
 * touch the replica's concurrent maps.
 */
public final class HazelcastRevocationStore implements RevocationStore {
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<String, long[]> map;
  private final HazelcastReconciliation reconciliation;

  public HazelcastRevocationStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast,
                                  HazelcastReconciliation reconciliation) {
    this.vertx = vertx;
    this.calls = calls;
    this.map = hazelcast.getMap(GridNames.REVOCATIONS);
    this.reconciliation = reconciliation;
  }

  @Override
  public Future<Void> revoke(Revocation revocation) {
    long ttl = Math.max(1, revocation.expiresAtMillis() - System.currentTimeMillis());
    long[] value = {revocation.issuedBeforeMillis(), revocation.expiresAtMillis()};
    return calls.await("revocation_put", map.setAsync(revocation.key(), value, ttl, TimeUnit.MILLISECONDS));
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
    return reconciliation.replica("revocations", map, new Entries(), new Into(replica)).start().mapEmpty();
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

  /** Revocations into this node's replica. */
  private record Into(RevocationList replica) implements MapReplica.Sink<long[]> {
    @Override
    public void put(String key, long[] value) {
      replica.add(Revocation.fromKey(key, value[0], value[1]));
    }

    @Override
    public void remove(String key) {
      replica.remove(key);
    }
  }
}
