package io.gridgate.upstream;

import io.gridgate.config.UpstreamSpec;
import java.util.Set;

/** Picks one available target of a pool, skipping those already tried for this request. */
public interface LoadBalancer {

  /**
   * @param hashKey the request's hash key (used by consistent hashing only; may be null)
   * @param tried targets to skip
   * @return a target, or null when none is available
   */
  Target pick(String hashKey, Set<Target> tried, long nowNanos);

  static LoadBalancer create(UpstreamSpec.BalancingStrategy strategy, Target[] targets) {
    return switch (strategy) {
      case ROUND_ROBIN -> new RoundRobinBalancer(targets);
      case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedBalancer(targets);
      case LEAST_CONNECTIONS -> new LeastConnectionsBalancer(targets);
      case CONSISTENT_HASH -> new ConsistentHashBalancer(targets);
    };
  }

  static boolean usable(Target t, Set<Target> tried, long nowNanos) {
    return t.isAvailable(nowNanos) && !tried.contains(t);
  }
}
