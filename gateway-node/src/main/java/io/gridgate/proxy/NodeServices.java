package io.gridgate.proxy;

import io.gridgate.grid.BreakerStore;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.security.PolicyChains;
import java.util.List;

/**
 * What outlives configuration versions on a node and every version is compiled against: where
 * circuit breakers keep their state, the rate limiters, and the compiler of policy chains.
 */
public record NodeServices(BreakerStore breakers, RateLimiters limiters, PolicyChains policies) {

  /** Services of a node without a cluster, metrics or policies (tests, tools). */
  public static NodeServices standalone(BreakerStore breakers) {
    return new NodeServices(breakers, RateLimiters.standalone(null), new PolicyChains(List.of()));
  }
}
