package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * Writes a verdict as response headers: {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (seconds) and/or their {@code X-RateLimit-*} forms, and
 * {@code Retry-After} (seconds) on a refusal.
 */
public final class RateLimitHeaderWriter {
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
  private static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
  private static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
  private static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");
  private static final CharSequence X_LIMIT = HttpHeaders.createOptimized("X-RateLimit-Limit");
  private static final CharSequence X_REMAINING = HttpHeaders.createOptimized("X-RateLimit-Remaining");
  private static final CharSequence X_RESET = HttpHeaders.createOptimized("X-RateLimit-Reset");

  private RateLimitHeaderWriter() {}

  public static void write(MultiMap headers, RateLimitHeaders style, LimitDecision decision) {
    if (!decision.isAllowed()) {
      headers.set(RETRY_AFTER, Long.toString(seconds(decision.retryAfterMillis())));
    }
    if (style == RateLimitHeaders.NONE) {
      return;
    }
    CharSequence limit = Long.toString(decision.limit());
    CharSequence remaining = Long.toString(decision.remaining());
    CharSequence reset = Long.toString(seconds(decision.resetMillis()));
    if (style != RateLimitHeaders.LEGACY) {
      headers.add(LIMIT, limit).add(REMAINING, remaining).add(RESET, reset);
    }
    if (style != RateLimitHeaders.STANDARD) {
      headers.add(X_LIMIT, limit).add(X_REMAINING, remaining).add(X_RESET, reset);
    }
  }

  /** Whole seconds, rounded up: a client that waits that long finds a permit. */
  private static long seconds(long millis) {
    return Math.max(0, (millis + 999) / 1000);
  }
}
