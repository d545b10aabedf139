package io.gridgate.config;

/**
 * Retries of idempotent requests on connect failure, 502 or 503, each on a different target;
 * {@code attempts} is the number of extra tries allowed after the first.
 */
public record RetryPolicy(int attempts) {
  public static final RetryPolicy NONE = new RetryPolicy(0);
}
