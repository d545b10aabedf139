package io.gridgate.ratelimit;

/**
 * The answer of one limit for one request: allowed (possibly after a delay), rejected (429) or
 * unavailable (503: the grid did not answer and the limit fails closed), with what the
 * rate-limit headers report.
 */
public record LimitDecision(Outcome outcome, long limit, long remaining, long resetMillis, long retryAfterMillis,
                            long delayMillis) {
  /** What the limit decided. */
  public enum Outcome { ALLOWED, REJECTED, UNAVAILABLE }

  /** How long a client should wait before retrying after an unavailable grid. */
  static final long UNAVAILABLE_RETRY_MILLIS = 1000;

  static LimitDecision allowed(long limit, long remaining, long resetMillis, long delayMillis) {
    return new LimitDecision(Outcome.ALLOWED, limit, remaining, resetMillis, 0, delayMillis);
  }

  static LimitDecision rejected(long limit, long resetMillis, long retryAfterMillis) {
    return new LimitDecision(Outcome.REJECTED, limit, 0, resetMillis, Math.max(1, retryAfterMillis), 0);
  }

  static LimitDecision unavailable(long limit) {
    return new LimitDecision(Outcome.UNAVAILABLE, limit, 0, UNAVAILABLE_RETRY_MILLIS, UNAVAILABLE_RETRY_MILLIS, 0);
  }

  /** The decision for one request served straight from an owner's grant of at most one permit. */
  static LimitDecision of(Grant grant, long limit) {
    return grant.granted() > 0
        ? allowed(limit, grant.remaining(), grant.resetMillis(), grant.delayMillis())
        : rejected(limit, grant.resetMillis(), grant.retryAfterMillis());
  }

  public boolean isAllowed() {
    return outcome == Outcome.ALLOWED;
  }
}
