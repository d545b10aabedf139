package io.gridgate.ratelimit;

import io.vertx.core.Future;

/**
 * Buckets shared by the whole cluster: each change runs atomically where the key lives, with that
 * place's clock. Futures complete on the calling Vert.x context.
 */
public interface BucketStore {

  /** Applies {@code request} to the bucket {@code key}: counts its charge, then takes up to the permits it asks for. */
  Future<Grant> take(String key, BucketRule rule, PermitRequest request);

  /** Returns unspent permits of {@code epoch} to the bucket. */
  Future<Void> giveBack(String key, BucketRule rule, long epoch, long permits);
}
