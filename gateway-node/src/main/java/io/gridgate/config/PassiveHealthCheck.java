package io.gridgate.config;

import java.time.Duration;

/**
 * Ejection of a target after {@code maxFailures} consecutive 5xx answers or connect failures, for
 * {@code baseEjection} doubling on each repeat up to {@code maxEjection}; 0 failures disables it.
 */
public record PassiveHealthCheck(int maxFailures, Duration baseEjection, Duration maxEjection) {
  public boolean enabled() {
    return maxFailures > 0;
  }
}
