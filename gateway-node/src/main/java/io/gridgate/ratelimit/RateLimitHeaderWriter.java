package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitHeaders;
import io.vertx.core.MultiMap;

/**
 * Writes a verdict as response headers: {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (seconds) and/or their {@code X-RateLimit-*} forms, and
 * {@code Retry-After} (seconds) on a refusal.
 */
public final class RateLimitHeaderWriter {
  private RateLimitHeaderWriter() {}

  public static void write(MultiMap headers, RateLimitHeaders style, LimitDecision decision) {
    if (!decision.isAllowed()) {
      headers.set("Retry-After", Long.toString(seconds(decision.retryAfterMillis())));
    }
    if (style == RateLimitHeaders.NONE) {
      return;
    }
    String limit = Long.toString(decision.limit());
    String remaining = Long.toString(decision.remaining());
    String reset = Long.toString(seconds(decision.resetMillis()));
    if (style != RateLimitHeaders.LEGACY) {
      headers.set("RateLimit-Limit", limit).set("RateLimit-Remaining", remaining).set("RateLimit-Reset", reset);
    }
    if (style != RateLimitHeaders.STANDARD) {
      headers.set("X-RateLimit-Limit", limit).set("X-RateLimit-Remaining", remaining).set("X-RateLimit-Reset", reset);
    }
  }

  /** Whole seconds, rounded up: a client that waits that long finds a permit. */
  private static long seconds(long millis) {
    return Math.max(0, (millis + 999) / 1000);
  }
}
