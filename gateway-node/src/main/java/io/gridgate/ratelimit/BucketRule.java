package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;
import io.gridgate.config.RateLimitSpec.Algorithm;

/**
 * The arithmetic of one bucket, shared by the grid's entry processors (run on the key's owner,
 * with the owner's clock) and by node-local buckets. A bucket's state is a small {@code long[]}:
 * <ul>
 *   <li>fixed window: window start, permits used;
 *   <li>sliding window: window start, previous window's count, current window's count;
 *   <li>token bucket: milli-tokens, time of the last refill;
 *   <li>leaky bucket (GCRA): theoretical arrival time of the next request, in microseconds.
 * </ul>
 * A grant never exceeds what is available; while several nodes share a bucket it is also capped at
 * half of an even share of what is left, so leases shrink as the bucket empties.
 */
public record BucketRule(Algorithm algorithm, long limit, long windowMillis, long burst) {

  public static BucketRule of(RateLimitSpec spec) {
    return new BucketRule(spec.algorithm(), spec.limit(), spec.window().toMillis(), spec.burst());
  }

  /** The same rule with another limit (a node's share while the grid is unreachable); the burst scales with it. */
  public BucketRule withLimit(long newLimit) {
    long scaledBurst = burst == 0 ? 0 : Math.max(1, burst * newLimit / limit);
    return new BucketRule(algorithm, newLimit, windowMillis, scaledBurst);
  }

  /** A fresh state for this rule at {@code now}. */
  public long[] newState(long now) {
    return switch (algorithm) {
      case FIXED_WINDOW -> new long[] {windowStart(now), 0};
      case SLIDING_WINDOW -> new long[] {windowStart(now), 0, 0};
      case TOKEN_BUCKET -> new long[] {burst * 1000, now};
      default -> new long[] {0};
    };
  }

  /** The epoch of a charge made by a node that knew no window yet: it counts in the owner's current one. */
  public static final long ANY_WINDOW = Long.MIN_VALUE;

  /** Takes up to {@code requested} permits from {@code state} (changed in place) at {@code now} (epoch millis). */
  public Grant take(long[] state, long now, long requested, int members) {
    return switch (algorithm) {
      case FIXED_WINDOW -> takeFixed(state, now, requested, members);
      case SLIDING_WINDOW -> takeSliding(state, now, requested, members);
      case TOKEN_BUCKET -> takeTokens(state, now, requested, members);
      case LEAKY_BUCKET -> takeLeaky(state, now);
      case CONCURRENCY -> throw new IllegalStateException("a concurrency limit has no bucket");
    };
  }

  /** Puts back permits granted in {@code epoch} and never spent; permits of a past window are dropped. */
  public void giveBack(long[] state, long now, long epoch, long permits) {
    switch (algorithm) {
      case FIXED_WINDOW -> {
        if (state[0] == epoch) {
          state[1] = Math.max(0, state[1] - permits);
        }
      }
      case SLIDING_WINDOW -> {
        if (state[0] == epoch) {
          state[2] = Math.max(0, state[2] - permits);
        }
      }
      case TOKEN_BUCKET -> {
        refill(state, now);
        state[0] = Math.min(burst * 1000, state[0] + permits * 1000);
      }
      default -> {
        // a leaky bucket admits one request at a time and never leases
      }
    }
  }

  /**
   * Counts permits a node spent on its own while the grid could not answer (fail-open), so the
   * cluster's count catches up once it answers again; a past window's spending is dropped.
   */
  public void charge(long[] state, long now, long epoch, long permits) {
    switch (algorithm) {
      case FIXED_WINDOW -> {
        rollFixed(state, now);
        if (state[0] == epoch || epoch == ANY_WINDOW) {
          state[1] = Math.min(limit, state[1] + permits);
        }
      }
      case SLIDING_WINDOW -> {
        rollSliding(state, now);
        if (state[0] == epoch || epoch == ANY_WINDOW) {
          state[2] = Math.min(limit, state[2] + permits);
        }
      }
      case TOKEN_BUCKET -> {
        refill(state, now);
        state[0] = Math.max(-burst * 1000, state[0] - permits * 1000);
      }
      default -> {
        // a leaky bucket never fails open on leases
      }
    }
  }

  /**
   * Of two states of one bucket (the two sides of a healed split), the one that leaves fewer
   * permits, so nothing either side granted is granted again: the later window, and in the same
   * window the higher counts (fixed and sliding windows); the fewer tokens with the later refill
   * time (token bucket); the later theoretical arrival time (leaky bucket). An unknown algorithm
   * keeps {@code existing}.
   */
  public static long[] fewerLeft(Algorithm algorithm, long[] merging, long[] existing) {
    if (algorithm == null || merging.length != existing.length) {
      return existing;
    }
    return switch (algorithm) {
      case FIXED_WINDOW, SLIDING_WINDOW -> laterWindowMoreUsed(merging, existing);
      case TOKEN_BUCKET -> new long[] {Math.min(merging[0], existing[0]), Math.max(merging[1], existing[1])};
      case LEAKY_BUCKET -> merging[0] > existing[0] ? merging : existing;
      case CONCURRENCY -> existing;
    };
  }

  /** {window start, counts...}: the later window, or in the same window each count's maximum. */
  private static long[] laterWindowMoreUsed(long[] a, long[] b) {
    if (a[0] != b[0]) {
      return a[0] > b[0] ? a : b;
    }
    long[] merged = b.clone();
    for (int i = 1; i < merged.length; i++) {
      merged[i] = Math.max(a[i], b[i]);
    }
    return merged;
  }

  /** Grant size: what was asked, at most what is left, and at most half an even share when several nodes compete. */
  static long lease(long requested, long available, int members) {
    if (available <= 0) {
      return 0;
    }
    long share = Math.max(1, available / (2L * Math.max(1, members)));
    return Math.min(requested, Math.min(available, members > 1 ? share : available));
  }

  private long windowStart(long now) {
    return now - Math.floorMod(now, windowMillis);
  }

  private void rollFixed(long[] s, long now) {
    long start = windowStart(now);
    if (s[0] != start) {
      s[0] = start;
      s[1] = 0;
    }
  }

  private Grant takeFixed(long[] s, long now, long requested, int members) {
    rollFixed(s, now);
    long start = s[0];
    long available = limit - s[1];
    long granted = lease(requested, available, members);
    s[1] += granted;
    long reset = start + windowMillis - now;
    long left = available - granted;
    return new Grant(granted, left, start, reset, left > 0 ? 0 : reset, reset, 0);
  }

  private void rollSliding(long[] s, long now) {
    long start = windowStart(now);
    if (s[0] != start) {
      s[1] = s[0] == start - windowMillis ? s[2] : 0;
      s[2] = 0;
      s[0] = start;
    }
  }

  private Grant takeSliding(long[] s, long now, long requested, int members) {
    rollSliding(s, now);
    long start = s[0];
    long elapsed = now - start;
    long fromPrevious = ceilScaled(s[1], windowMillis - elapsed, windowMillis);
    long available = Math.max(0, limit - fromPrevious - s[2]);
    long granted = lease(requested, available, members);
    s[2] += granted;
    long reset = windowMillis - elapsed;
    long left = available - granted;
    return new Grant(granted, left, start, reset, left > 0 ? 0 : slidingRetry(s, elapsed, reset), reset, 0);
  }

  /** Until the previous window's weight has decayed by one permit, or the window's end when the current one is full. */
  private long slidingRetry(long[] s, long elapsed, long reset) {
    long room = limit - 1 - s[2];
    if (room < 0 || s[1] == 0) {
      return reset;
    }
    long due = windowMillis - (long) Math.floor(room * (double) windowMillis / s[1]);
    return Math.max(1, Math.min(reset, due - elapsed));
  }

  private Grant takeTokens(long[] s, long now, long requested, int members) {
    refill(s, now);
    long available = Math.max(0, s[0] / 1000);
    long granted = lease(requested, available, members);
    s[0] -= granted * 1000;
    long missing = burst * 1000 - s[0];
    long reset = ceilScaled(missing, windowMillis, limit * 1000);
    long retry = s[0] >= 1000 ? 0 : Math.max(1, ceilScaled(1000 - s[0], windowMillis, limit * 1000));
    return new Grant(granted, Math.max(0, s[0] / 1000), 0, reset, retry, Math.min(windowMillis, 1000), 0);
  }

  private void refill(long[] s, long now) {
    long elapsed = Math.max(0, now - s[1]);
    double added = elapsed * (limit * 1000.0 / windowMillis);
    s[0] = (long) Math.min(burst * 1000.0, s[0] + added);
    s[1] = now;
  }

  private Grant takeLeaky(long[] s, long now) {
    long interval = Math.max(1, windowMillis * 1000 / limit);
    long tolerance = burst * interval;
    long nowMicros = now * 1000;
    long arrival = Math.max(s[0], nowMicros);
    long wait = arrival - nowMicros;
    if (wait > tolerance) {
      long retry = Math.max(1, ceilDiv(wait - tolerance, 1000));
      return new Grant(0, 0, 0, ceilDiv(wait, 1000), retry, 0, 0);
    }
    s[0] = arrival + interval;
    long queued = s[0] - nowMicros;
    long left = Math.max(0, Math.floorDiv(tolerance - queued, interval) + 1);
    return new Grant(1, left, 0, ceilDiv(queued, 1000), left > 0 ? 0 : ceilDiv(queued - tolerance, 1000), 0,
        ceilDiv(wait, 1000));
  }

  /** ceil(a × b / c) without overflowing: limits go up to 10^9 and windows up to a year. */
  private static long ceilScaled(long a, long b, long c) {
    return (long) Math.ceil(a * (double) b / c);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
