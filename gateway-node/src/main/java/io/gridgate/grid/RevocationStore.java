package io.gridgate.grid;

import io.gridgate.security.Revocation;
import io.gridgate.security.RevocationList;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where the cluster's revocations live: {@link LocalRevocationStore} for one node or
 * {@link HazelcastRevocationStore} shared by the cluster, each entry kept until the tokens it
 * covers have expired. Every node keeps a {@link RevocationList} replica of it.
 */
public interface RevocationStore {

  /** Stores a revocation; every node's replica has it shortly after (milliseconds on a healthy cluster). */
  Future<Void> revoke(Revocation revocation);

  /** Every revocation still in force. */
  Future<List<Revocation>> list();

  /** Fills {@code replica} with what is stored now and keeps it up to date; completes once what is stored now is in it. */
  Future<Void> feed(RevocationList replica);
}
