package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;
import io.vertx.core.Future;

/** One declared limit on this node, for every key it sees. */
interface Limiter {

  RateLimitSpec spec();

  /** One permit for {@code key}; a future that is not yet complete completes on the caller's context. */
  Future<LimitDecision> acquire(String key);

  /**
   * Gives back the permit of an allowed decision that went unused because a later limit refused the
   * request, or, for a limiter that {@link #holdsUntilEnd() holds permits}, the one of an ended exchange.
   */
  void refund(String key);

  /** True when an admitted request holds its permit until its exchange ends (a concurrency limit). */
  default boolean holdsUntilEnd() {
    return false;
  }

  /** Housekeeping, every few hundred milliseconds: returns idle leases and forgets idle keys. */
  void sweep();

  /** Returns every leased permit; the limiter is no longer used. */
  void close();

  LimiterStats stats();
}
