package io.gridgate.config;

import java.util.List;

/**
 * A named pool of targets with its balancing strategy, connection pool and health checks, and
 * optionally a circuit breaker, a bulkhead and TLS to its targets (null when not configured).
 */
public record UpstreamSpec(
    String name,
    List<TargetSpec> targets,
    BalancingStrategy strategy,
    HashOn hashOn,
    PoolSpec pool,
    ActiveHealthCheck activeHealthCheck,
    PassiveHealthCheck passiveHealthCheck,
    CircuitBreakerSpec circuitBreaker,
    BulkheadSpec bulkhead,
    UpstreamTls tls) {
  public UpstreamSpec {
    targets = List.copyOf(targets);
  }

  /** How a pool picks a target. */
  public enum BalancingStrategy { ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_CONNECTIONS, CONSISTENT_HASH }
}
