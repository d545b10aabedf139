package io.gridgate.config;

import java.time.Duration;

/**
 * When an upstream's circuit breaker opens (a failure ratio over a rolling window, or a run of
 * consecutive failures; 0 turns a trigger off), how long it stays open, how many successful
 * probes close it, and whether its state is shared by the cluster or kept by each node.
 */
public record CircuitBreakerSpec(
    double failureRatio,
    int minCalls,
    int consecutiveFailures,
    Duration window,
    Duration openFor,
    int halfOpenSuccesses,
    Scope scope) {

  /** Where the breaker's state lives. */
  public enum Scope { CLUSTER, LOCAL }
}
