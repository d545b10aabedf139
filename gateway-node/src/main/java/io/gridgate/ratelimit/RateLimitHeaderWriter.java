package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitHeaders;
import io.gridgate.http.ClientResponse;
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

  /** Writes {@code decision}'s headers into {@code response}'s: constant names and decimal values, so set without a second check. */
  public static void write(ClientResponse response, RateLimitHeaders style, LimitDecision decision) {
    if (!decision.isAllowed()) {
      response.setChecked(RETRY_AFTER, Long.toString(seconds(decision.retryAfterMillis())));
    }
    if (style == RateLimitHeaders.NONE) {
      return;
    }
    CharSequence limit = Long.toString(decision.limit());
    CharSequence remaining = Long.toString(decision.remaining());
    CharSequence reset = Long.toString(seconds(decision.resetMillis()));
    if (style != RateLimitHeaders.LEGACY) {
      response.addChecked(LIMIT, limit);
      response.addChecked(REMAINING, remaining);
      response.addChecked(RESET, reset);
    }
    if (style != RateLimitHeaders.STANDARD) {
      response.addChecked(X_LIMIT, limit);
      response.addChecked(X_REMAINING, remaining);
      response.addChecked(X_RESET, reset);
    }
  }

  /** Whole seconds, rounded up: a client that waits that long finds a permit. */
  private static long seconds(long millis) {
    return Math.max(0, (millis + 999) / 1000);
  }
}
