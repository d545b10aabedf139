package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A cluster-wide leaky bucket: every request asks the key's owner for its slot (one grid call per
 * request), because a slot's delay depends on every request before it in the cluster.
 */
final class DirectLimiter extends GridLimiter {
  DirectLimiter(Vertx vertx, RateLimitSpec spec, BucketStore store, ClusterView cluster, NodeClock clock) {
    super(vertx, spec, store, cluster, clock);
  }

  @Override
  public Future<LimitDecision> acquire(String key) {
    if (failures.isGridDown()) {
      return Future.succeededFuture(failures.decide(key, Long.MAX_VALUE));
    }
    return failures.withDeadline(() -> store.take(bucketPrefix + key, rule, new PermitRequest(1, members.getAsInt(), 0, 0)))
        .map(grant -> {
          failures.gridAnswered();
          LimitDecision decision = LimitDecision.of(grant, spec.limit());
          stats.count(decision);
          return decision;
        })
        .recover(err -> {
          failures.gridFailed(err);
          return Future.succeededFuture(failures.decide(key, Long.MAX_VALUE));
        });
  }

  @Override
  public void refund(String key) {
    // a slot in the shared queue cannot be handed back without reordering the requests behind it
  }

  @Override
  public void sweep() {
    failures.sweep();
  }

  @Override
  public void close() {
    // nothing is leased
  }
}
