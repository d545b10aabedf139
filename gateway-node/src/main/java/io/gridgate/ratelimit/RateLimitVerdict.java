package io.gridgate.ratelimit;

/**
 * The outcome of every limit of a route for one request: the deciding decision (the refusal, or
 * among allowing decisions the one with the fewest permits left, which the headers report) and how
 * long the request must wait before it is forwarded. {@code limitId} names the limit that refused;
 * {@code onEnd} gives back what an admitted request holds until its exchange ends (null when nothing).
 */
public record RateLimitVerdict(LimitDecision decision, long delayMillis, String limitId, Runnable onEnd) {
  public boolean allowed() {
    return decision.isAllowed();
  }
}
