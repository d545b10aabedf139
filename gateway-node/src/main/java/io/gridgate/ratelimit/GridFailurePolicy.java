package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.gridgate.config.RateLimitSpec.OnGridFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A cluster limit's deadline on grid calls and what it does when one is missed: fail open on this
 * node's share of the limit (limit ÷ the members it knows; ÷ the expected size on a protected
 * minority side, which never asks the grid), or fail closed. After a miss, requests
 * are decided without waiting for the grid for {@link #RETRY_GRID_MILLIS}; then the grid is tried again.
 */
final class GridFailurePolicy {
  private static final Logger LOG = Logger.getLogger(GridFailurePolicy.class.getName());
  static final long RETRY_GRID_MILLIS = 1000;

  private final Vertx vertx;
  private final RateLimitSpec spec;
  private final BucketRule rule;
  private final IntSupplier members;
  private final BooleanSupplier minority;
  private final LimiterStats stats;
  private final LocalBuckets share;
  private final LongSupplier clockNanos;
  private volatile long gridDownUntilNanos;
  private volatile boolean down;

  GridFailurePolicy(Vertx vertx, RateLimitSpec spec, BucketRule rule, ClusterView cluster, LimiterStats stats,
                    NodeClock clock) {
    this.vertx = vertx;
    this.spec = spec;
    this.rule = rule;
    this.members = cluster.members();
    this.minority = cluster.minority();
    this.stats = stats;
    this.share = new LocalBuckets(clock.millis());
    this.clockNanos = clock.nanos();
  }

  /** {@code call} with the limit's grid deadline: past it, the future fails with a TimeoutException. */
  <T> Future<T> withDeadline(Supplier<Future<T>> call) {
    stats.gridCalls.increment();
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(spec.gridTimeout().toMillis(), t -> promise.tryFail(
        new TimeoutException("no answer from the grid within " + spec.gridTimeout().toMillis() + " ms")));
    call.get().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return promise.future();
  }

  /**
   * True while the grid is considered unreachable, or must not be used because this node is on a
   * protected minority side: decide without asking it.
   */
  boolean isGridDown() {
    return (down && clockNanos.getAsLong() - gridDownUntilNanos < 0) || minority.getAsBoolean();
  }

  void gridFailed(Throwable cause) {
    stats.gridFailures.increment();
    gridDownUntilNanos = clockNanos.getAsLong() + RETRY_GRID_MILLIS * 1_000_000;
    if (!down) {
      down = true;
      LOG.warning(() -> "rate limit '" + spec.id() + "': the grid did not answer (" + cause.getMessage()
          + "); deciding " + (spec.onGridFailure() == OnGridFailure.FAIL_OPEN
              ? "on this node's share of the limit" : "by refusing requests (fail closed)"));
    }
  }

  void gridAnswered() {
    if (down) {
      down = false;
      LOG.info(() -> "rate limit '" + spec.id() + "': the grid answers again; the cluster-wide count applies");
    }
  }

  /**
   * The decision while the grid cannot answer: refused (503) when failing closed; when failing open,
   * this node's share of the limit decides, within {@code allowance} more requests.
   */
  LimitDecision decide(String key, long allowance) {
    if (spec.onGridFailure() == OnGridFailure.FAIL_CLOSED) {
      stats.failedClosed.increment();
      return LimitDecision.unavailable(spec.limit());
    }
    stats.failedOpen.increment();
    LimitDecision decision = allowance > 0
        ? share.takeOne(key, rule.withLimit(Math.max(1, spec.limit() / Math.max(1, members.getAsInt()))))
        : LimitDecision.rejected(spec.limit(), RETRY_GRID_MILLIS, RETRY_GRID_MILLIS);
    stats.count(decision);
    return decision;
  }

  void sweep() {
    share.forgetIdle(rule.windowMillis());
  }
}
