package io.gridgate.security;

import io.gridgate.grid.IdentityDisk;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where the cluster's consumers live: {@link io.gridgate.grid.LocalConsumerStore} for one node or
 * {@link io.gridgate.grid.HazelcastConsumerStore} shared by the cluster. Every node keeps a {@link ConsumerDirectory}
 * replica of it and, with a data_dir, an {@link IdentityDisk} copy.
 */
public interface ConsumerStore {

  /**
   * Changes consumer {@code id} atomically: {@code change} gets the current consumer (null when
   * none) and answers the new one (null deletes it, leaving a tombstone). The future holds what
   * was stored (the tombstone of a deleted one), or null when nothing was; it completes once that
   * is on this node's disk.
   */
  Future<Consumer> change(String id, UnaryOperator<Consumer> change);

  /** The live consumer {@code id}, or null. */
  Future<Consumer> get(String id);

  /** Every live consumer (no tombstones). */
  Future<List<Consumer>> list();

  /** Fills {@code directory} with what is stored now and keeps it up to date; completes once what is stored now is in it. */
  Future<Void> feed(ConsumerDirectory directory);

  /**
   * Makes {@code disk} this node's durable copy: offers what it holds to the store (the higher
   * revision wins), copies the store onto it and keeps it current from then on. Runs before the
   * node feeds its replica and serves.
   */
  Future<Void> restore(IdentityDisk disk);
}
