package io.gridgate.proxy;

import io.gridgate.cache.ResponseCaches;
import io.gridgate.config.RequestLimits;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.security.PolicyChains;
import io.gridgate.upstream.BreakerClock;
import io.gridgate.upstream.BreakerStore;
import java.util.List;

/**
 * What outlives configuration versions on a node and every version is compiled against: where
 * circuit breakers keep their state and the clock they read, the rate limiters, the compiler of
 * policy chains, what observes every request (metrics, the access log), the response cache and the
 * memory budget of held request bodies.
 */
public record NodeServices(BreakerStore breakers, BreakerClock breakerClock, RateLimiters limiters,
                           PolicyChains policies, RequestObserver observer, ResponseCaches caches,
                           RequestBufferBudget requestBuffers) {

  /** Services of a node without a cluster, metrics, policies or observers (tests, tools). */
  public static NodeServices standalone(BreakerStore breakers) {
    return standalone(breakers, BreakerClock.SYSTEM);
  }

  /** {@link #standalone(BreakerStore)} with circuit breakers reading the time from {@code breakerClock}. */
  public static NodeServices standalone(BreakerStore breakers, BreakerClock breakerClock) {
    return new NodeServices(breakers, breakerClock, RateLimiters.standalone(null), new PolicyChains(List.of()),
        RequestObserver.NONE, ResponseCaches.standalone(),
        new RequestBufferBudget(RequestLimits.DEFAULT_REQUEST_BUFFER_MEMORY));
  }
}
