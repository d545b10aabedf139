package io.gridgate.config;

import java.util.List;

/**
 * A named pool of targets with its balancing strategy, connection pool and health checks, the HTTP
 * version its targets speak, and optionally a circuit breaker, a bulkhead and TLS to its targets
 * (null when not configured).
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
    UpstreamTls tls,
    Protocol protocol) {
  public UpstreamSpec {
    targets = List.copyOf(targets);
  }

  /** How a pool picks a target. */
  public enum BalancingStrategy { ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_CONNECTIONS, CONSISTENT_HASH }

  /** The HTTP version spoken to the targets: HTTP/1.1, or HTTP/2 (h2c with prior knowledge, h2 by ALPN over TLS). */
  public enum Protocol { HTTP1, HTTP2 }
}
