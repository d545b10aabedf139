package io.gridgate.upstream;

import io.gridgate.config.CircuitBreakerSpec;
import java.util.Arrays;

/**
 * Decides when a breaker trips: a failure ratio over a rolling window (ten buckets, each a tenth
 * of the window) once enough calls were seen, or a run of consecutive failures in which no two
 * are further apart than the window. Not thread-safe; allocation-free per call.
 */
final class FailureWindow {
  private static final int BUCKETS = 10;

  private final double failureRatio;
  private final int minCalls;
  private final int consecutiveFailures;
  private final long windowNanos;
  private final long bucketNanos;
  private final long[] bucketIndex = new long[BUCKETS];
  private final int[] calls = new int[BUCKETS];
  private final int[] failures = new int[BUCKETS];
  private int run;
  private long lastFailureNanos;

  FailureWindow(CircuitBreakerSpec spec) {
    this.failureRatio = spec.failureRatio();
    this.minCalls = spec.minCalls();
    this.consecutiveFailures = spec.consecutiveFailures();
    this.windowNanos = spec.window().toNanos();
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    reset();
  }

  /** Forgets every call seen. */
  void reset() {
    Arrays.fill(bucketIndex, Long.MIN_VALUE);
    Arrays.fill(calls, 0);
    Arrays.fill(failures, 0);
    run = 0;
  }

  /** Counts one call at {@code nowNanos}; true when the breaker should open. */
  boolean record(boolean success, long nowNanos) {
    long index = Math.floorDiv(nowNanos, bucketNanos);
    int slot = (int) Math.floorMod(index, (long) BUCKETS);
    if (bucketIndex[slot] != index) {
      bucketIndex[slot] = index;
      calls[slot] = 0;
      failures[slot] = 0;
    }
    calls[slot]++;
    if (success) {
      run = 0;
      return false;
    }
    failures[slot]++;
    run = run > 0 && nowNanos - lastFailureNanos <= windowNanos ? run + 1 : 1;
    lastFailureNanos = nowNanos;
    return (consecutiveFailures > 0 && run >= consecutiveFailures) || ratioExceeded(index);
  }

  private boolean ratioExceeded(long index) {
    if (failureRatio <= 0) {
      return false;
    }
    int windowCalls = 0;
    int windowFailures = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (bucketIndex[i] > index - BUCKETS) {
        windowCalls += calls[i];
        windowFailures += failures[i];
      }
    }
    return windowCalls >= minCalls && windowFailures >= failureRatio * windowCalls;
  }
}
