package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A limit on requests in flight per key on this node: a slot is taken when the request is
 * admitted and given back when its exchange ends (for a WebSocket, when its handshake is answered).
 */
final class ConcurrencyLimiter extends LimiterBase {
  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  ConcurrencyLimiter(RateLimitSpec spec) {
    super(spec);
  }

  @Override
  public Future<LimitDecision> acquire(String key) {
    long limit = spec.limit();
    int[] taken = new int[1];
    inFlight.compute(key, (k, n) -> {
      int current = n == null ? 0 : n;
      taken[0] = current < limit ? current + 1 : 0;
      return current < limit ? current + 1 : n;
    });
    LimitDecision decision = taken[0] > 0
        ? LimitDecision.allowed(limit, limit - taken[0], 0, 0)
        : LimitDecision.rejected(limit, 0, 1);
    stats.count(decision);
    return Future.succeededFuture(decision);
  }

  @Override
  public boolean holdsUntilEnd() {
    return true;
  }

  /** Gives the slot back; a key with nothing in flight is forgotten. */
  @Override
  public void refund(String key) {
    inFlight.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  @Override
  public void sweep() {
    // keys leave the map when their last slot is given back
  }

  @Override
  public void close() {
    // requests in flight give their slots back to this limiter, which nothing else uses
  }
}
