package io.gridgate.security;

import io.gridgate.grid.IdentityDisk;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where the cluster's revocations live: {@link io.gridgate.grid.LocalRevocationStore} for one node or
 * {@link io.gridgate.grid.HazelcastRevocationStore} shared by the cluster, each entry kept until the tokens it
 * covers have expired. Every node keeps a {@link RevocationList} replica of it and, with a
 * data_dir, an {@link IdentityDisk} copy.
 */
public interface RevocationStore {

  /**
   * Stores a revocation (the union with one already stored under its key); completes once it is on
   * this node's disk. Every node's replica has it shortly after (milliseconds on a healthy cluster).
   */
  Future<Void> revoke(Revocation revocation);

  /** Every revocation still in force. */
  Future<List<Revocation>> list();

  /** Fills {@code replica} with what is stored now and keeps it up to date; completes once what is stored now is in it. */
  Future<Void> feed(RevocationList replica);

  /**
   * Makes {@code disk} this node's durable copy: offers what it holds to the store (unions, the
   * expired left out), copies the store onto it and keeps it current from then on. Runs before the
   * node feeds its replica and serves.
   */
  Future<Void> restore(IdentityDisk disk);
}
