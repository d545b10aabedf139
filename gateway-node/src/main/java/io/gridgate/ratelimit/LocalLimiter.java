package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.vertx.core.Future;

/** A limit of scope {@code local}: each node counts alone, with its own clock, synchronously. */
final class LocalLimiter extends LimiterBase {
  private final BucketRule rule;
  private final LocalBuckets buckets;

  LocalLimiter(RateLimitSpec spec, NodeClock clock) {
    super(spec);
    this.rule = BucketRule.of(spec);
    this.buckets = new LocalBuckets(clock.millis());
  }

  @Override
  public Future<LimitDecision> acquire(String key) {
    LimitDecision decision = buckets.takeOne(key, rule);
    stats.count(decision);
    return Future.succeededFuture(decision);
  }

  @Override
  public void refund(String key) {
    buckets.giveBackOne(key, rule);
  }

  @Override
  public void sweep() {
    buckets.forgetIdle(rule.windowMillis());
  }

  @Override
  public void close() {
    // nothing is leased
  }

}
