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

  private Future<RateLimitVerdict> step(int index, String[] requestKeys, LimitDecision tightest, long delay) {
    if (index == limiters.length) {
      return Future.succeededFuture(new RateLimitVerdict(tightest, delay, null, releaseAtEnd(requestKeys)));
    }
    return limiters[index].acquire(requestKeys[index]).compose(decision -> {
      if (!decision.isAllowed()) {
        for (int i = 0; i < index; i++) {
          limiters[i].refund(requestKeys[i]);
        }
        return Future.succeededFuture(new RateLimitVerdict(decision, 0, limiters[index].spec().id(), null));
      }
      LimitDecision next = tightest == null || decision.remaining() < tightest.remaining() ? decision : tightest;
      return step(index + 1, requestKeys, next, Math.max(delay, decision.delayMillis()));
    });
  }
}
