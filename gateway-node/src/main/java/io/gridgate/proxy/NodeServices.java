package io.gridgate.proxy;

import io.gridgate.cache.ResponseCaches;
import io.gridgate.clock.NodeClock;
import io.gridgate.config.RequestLimits;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.security.PolicyChains;
import io.gridgate.upstream.BreakerStore;
import java.util.List;

/**
 * What outlives configuration versions on a node and every version is compiled against: where
 * circuit breakers keep their state, the node's clock (breakers, passive ejection), the rate
 * limiters, the compiler of policy chains, what observes every request (metrics, the access log),
 * the response cache and the memory budget of held request bodies.
 */
public record NodeServices(BreakerStore breakers, NodeClock clock, RateLimiters limiters,
                           PolicyChains policies, RequestObserver observer, ResponseCaches caches,
                           RequestBufferBudget requestBuffers) {

  /** Services of a node without a cluster, metrics, policies or observers (tests, tools). */
  public static NodeServices standalone(BreakerStore breakers) {
    return standalone(breakers, NodeClock.SYSTEM);
  }

  /** {@link #standalone(BreakerStore)} timing breakers, passive ejection, cached answers and limits by {@code clock}. */
  public static NodeServices standalone(BreakerStore breakers, NodeClock clock) {
    return new NodeServices(breakers, clock, RateLimiters.standalone(null, clock), new PolicyChains(List.of()),
        RequestObserver.NONE, ResponseCaches.standalone(clock.nanos()),
        new RequestBufferBudget(RequestLimits.DEFAULT_REQUEST_BUFFER_MEMORY));
  }
}
