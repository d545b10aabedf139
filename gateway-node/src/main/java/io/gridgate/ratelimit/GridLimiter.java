package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.vertx.core.Vertx;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/** A limiter whose buckets live in the grid: the bucket rule, the store, the member count and the failure policy. */
abstract class GridLimiter extends LimiterBase {
  protected final BucketRule rule;
  protected final BucketStore store;
  protected final IntSupplier members;
  protected final String bucketPrefix;
  protected final GridFailurePolicy failures;
  /** The node's monotonic clock, in nanos. */
  protected final LongSupplier clockNanos;

  GridLimiter(Vertx vertx, RateLimitSpec spec, BucketStore store, ClusterView cluster, NodeClock clock) {
    super(spec);
    this.rule = BucketRule.of(spec);
    this.store = store;
    this.members = cluster.members();
    this.bucketPrefix = BucketNames.prefix(spec);
    this.failures = new GridFailurePolicy(vertx, spec, rule, cluster, stats, clock);
    this.clockNanos = clock.nanos();
  }
}
