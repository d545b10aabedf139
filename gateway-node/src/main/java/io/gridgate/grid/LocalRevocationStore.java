package io.gridgate.grid;

import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The revocations of a standalone node, in memory. */
public final class LocalRevocationStore implements RevocationStore {
  private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();
  private final List<RevocationList> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public Future<Void> revoke(Revocation revocation) {
    revocations.put(revocation.key(), revocation);
    replicas.forEach(replica -> replica.add(revocation));
    return Future.succeededFuture();
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
}
