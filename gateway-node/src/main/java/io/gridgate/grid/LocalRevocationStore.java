package io.gridgate.grid;

import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.gridgate.security.RevocationStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The revocations of a standalone node, in memory and on its disk when it has a data_dir. */
public final class LocalRevocationStore implements RevocationStore {
  private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();
  private final List<RevocationList> replicas = new CopyOnWriteArrayList<>();
  private volatile IdentityDisk disk = IdentityDisk.NONE;

  @Override
  public Future<Void> revoke(Revocation revocation) {
    Revocation merged = revocations.merge(revocation.key(), revocation, (mine, offered) ->
        Revocation.fromKey(mine.key(), RevocationUnion.of(mine.times(), offered.times())));
    replicas.forEach(replica -> replica.add(merged));
    return disk.saveRevocation(merged.key(), merged.times());
  }

  @Override
  public Future<List<Revocation>> list() {
    long now = System.currentTimeMillis();
    revocations.values().removeIf(r -> r.expiresAtMillis() <= now);
    return Future.succeededFuture(new ArrayList<>(revocations.values()));
  }

  @Override
  public Future<Void> feed(RevocationList replica) {
    revocations.values().forEach(replica::add);
    replicas.add(replica);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> restore(IdentityDisk disk) {
    if (disk.keepsNothing()) {
      return Future.succeededFuture();
    }
    return disk.afterPurge(IdentityDisk::revocations).map(stored -> {
      stored.forEach((key, value) -> revocations.merge(key, Revocation.fromKey(key, value),
          (mine, offered) -> Revocation.fromKey(key, RevocationUnion.of(mine.times(), offered.times()))));
      this.disk = disk;
      return null;
    });
  }
}
