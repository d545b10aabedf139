package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitHeaders;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Every limit of one route, checked in order (global limits first). A request passes only when all
 * allow it; permits already taken from earlier limits are refunded when a later one refuses.
 */
public final class RouteRateLimits {
  private final Limiter[] limiters;
  private final LimitKeys[] keys;
  private final RateLimitHeaders headers;
  private final boolean holdsUntilEnd;

  RouteRateLimits(List<Limiter> limiters, List<LimitKeys> keys, RateLimitHeaders headers) {
    this.limiters = limiters.toArray(Limiter[]::new);
    this.keys = keys.toArray(LimitKeys[]::new);
    this.headers = headers;
    this.holdsUntilEnd = limiters.stream().anyMatch(Limiter::holdsUntilEnd);
  }

  /** Which headers the route reports. */
  public RateLimitHeaders headers() {
    return headers;
  }

  public Future<RateLimitVerdict> check(String clientAddress, String path, MultiMap requestHeaders) {
    String[] requestKeys = new String[limiters.length];
    for (int i = 0; i < limiters.length; i++) {
      requestKeys[i] = keys[i].keyOf(clientAddress, path, requestHeaders);
    }
    return step(0, requestKeys, null, 0);
  }

  /** Gives back, once the exchange ends, the slots of the limits that hold them; null when none does. */
  private Runnable releaseAtEnd(String[] requestKeys) {
    if (!holdsUntilEnd) {
      return null;
    }
    return () -> {
      for (int i = 0; i < limiters.length; i++) {
        if (limiters[i].holdsUntilEnd()) {
          limiters[i].refund(requestKeys[i]);
        }
      }
    };
  }

  /**
   * Checks limits from {@code index} on. Decisions already taken (a lease permit) are used on the
   * spot; only a decision that waits for the grid continues asynchronously.
   */
  private Future<RateLimitVerdict> step(int index, String[] requestKeys, LimitDecision tightest, long delay) {
    for (int i = index; i < limiters.length; i++) {
      Future<LimitDecision> pending = limiters[i].acquire(requestKeys[i]);
      if (!pending.succeeded()) {
        int at = i;
        LimitDecision sofar = tightest;
        long delaySoFar = delay;
        return pending.compose(decision -> decided(at, requestKeys, decision, sofar, delaySoFar));
      }
      LimitDecision decision = pending.result();
      if (!decision.isAllowed()) {
        return Future.succeededFuture(refused(i, requestKeys, decision));
      }
      tightest = tighter(tightest, decision);
      delay = Math.max(delay, decision.delayMillis());
    }
    return Future.succeededFuture(new RateLimitVerdict(tightest, delay, null, releaseAtEnd(requestKeys)));
  }

  private Future<RateLimitVerdict> decided(int index, String[] requestKeys, LimitDecision decision,
                                           LimitDecision tightest, long delay) {
    if (!decision.isAllowed()) {
      return Future.succeededFuture(refused(index, requestKeys, decision));
    }
    return step(index + 1, requestKeys, tighter(tightest, decision), Math.max(delay, decision.delayMillis()));
  }

  /** The refusal of limit {@code index}; the permits of the limits before it go back. */
  private RateLimitVerdict refused(int index, String[] requestKeys, LimitDecision decision) {
    for (int i = 0; i < index; i++) {
      limiters[i].refund(requestKeys[i]);
    }
    return new RateLimitVerdict(decision, 0, limiters[index].spec().id(), null);
  }

  private static LimitDecision tighter(LimitDecision tightest, LimitDecision decision) {
    return tightest == null || decision.remaining() < tightest.remaining() ? decision : tightest;
  }
}
