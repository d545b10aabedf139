package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitHeaders;
import io.gridgate.security.Identity;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Set;

/**
 * Every limit of one route, checked in order (global limits first), each at the tier of the
 * request's consumer groups. A request passes only when all allow it; permits already taken from
 * earlier limits are refunded when a later one refuses.
 */
public final class RouteRateLimits {
  private final TierChoice[] choices;
  private final Limiter[] defaults;
  private final LimitKeys[] keys;
  private final RateLimitHeaders headers;
  private final boolean tiered;
  private final boolean holdsUntilEnd;

  RouteRateLimits(List<TierChoice> choices, List<LimitKeys> keys, RateLimitHeaders headers) {
    this.choices = choices.toArray(TierChoice[]::new);
    this.defaults = choices.stream().map(TierChoice::base).toArray(Limiter[]::new);
    this.keys = keys.toArray(LimitKeys[]::new);
    this.headers = headers;
    this.tiered = choices.stream().anyMatch(TierChoice::hasTiers);
    this.holdsUntilEnd = choices.stream().anyMatch(c -> c.base().holdsUntilEnd());
  }

  /** Which headers the route reports. */
  public RateLimitHeaders headers() {
    return headers;
  }

  /** Checks a request of {@code identity} (null when unauthenticated). */
  public Future<RateLimitVerdict> check(String clientAddress, Identity identity, String path, MultiMap requestHeaders) {
    String consumer = identity == null ? null : identity.consumer() != null ? identity.consumer() : identity.subject();
    Check check = new Check(limitersFor(identity), new String[keys.length]);
    for (int i = 0; i < keys.length; i++) {
      check.keys[i] = keys[i].keyOf(clientAddress, consumer, path, requestHeaders);
    }
    return check.from(0, null, 0);
  }

  private Limiter[] limitersFor(Identity identity) {
    if (!tiered || identity == null) {
      return defaults;
    }
    Set<String> groups = identity.groups();
    Limiter[] picked = new Limiter[choices.length];
    for (int i = 0; i < choices.length; i++) {
      picked[i] = choices[i].pick(groups);
    }
    return picked;
  }

  /** One request's pass over the route's limits. */
  private final class Check {
    private final Limiter[] limiters;
    private final String[] keys;

    Check(Limiter[] limiters, String[] keys) {
      this.limiters = limiters;
      this.keys = keys;
    }

    /**
     * Checks limits from {@code index} on. Decisions already taken (a lease permit) are used on
     * the spot; only a decision that waits for the grid continues asynchronously.
     */
    Future<RateLimitVerdict> from(int index, LimitDecision tightest, long delay) {
      for (int i = index; i < limiters.length; i++) {
        Future<LimitDecision> pending = limiters[i].acquire(keys[i]);
        if (!pending.succeeded()) {
          int at = i;
          LimitDecision sofar = tightest;
          long delaySoFar = delay;
          return pending.compose(decision -> decided(at, decision, sofar, delaySoFar));
        }
        LimitDecision decision = pending.result();
        if (!decision.isAllowed()) {
          return Future.succeededFuture(refused(i, decision));
        }
        tightest = tighter(tightest, decision);
        delay = Math.max(delay, decision.delayMillis());
      }
      return Future.succeededFuture(new RateLimitVerdict(tightest, delay, null, releaseAtEnd()));
    }

    private Future<RateLimitVerdict> decided(int index, LimitDecision decision, LimitDecision tightest, long delay) {
      if (!decision.isAllowed()) {
        return Future.succeededFuture(refused(index, decision));
      }
      return from(index + 1, tighter(tightest, decision), Math.max(delay, decision.delayMillis()));
    }

    /** The refusal of limit {@code index}; the permits of the limits before it go back. */
    private RateLimitVerdict refused(int index, LimitDecision decision) {
      for (int i = 0; i < index; i++) {
        limiters[i].refund(keys[i]);
      }
      return new RateLimitVerdict(decision, 0, limiters[index].spec().id(), null);
    }

    /** Gives back, once the exchange ends, the slots of the limits that hold them; null when none does. */
    private Runnable releaseAtEnd() {
      if (!holdsUntilEnd) {
        return null;
      }
      return () -> {
        for (int i = 0; i < limiters.length; i++) {
          if (limiters[i].holdsUntilEnd()) {
            limiters[i].refund(keys[i]);
          }
        }
      };
    }
  }

  private static LimitDecision tighter(LimitDecision tightest, LimitDecision decision) {
    return tightest == null || decision.remaining() < tightest.remaining() ? decision : tightest;
  }
}
