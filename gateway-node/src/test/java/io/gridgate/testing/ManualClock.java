package io.gridgate.testing;

import io.gridgate.clock.NodeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it, read both as epoch millis (wall clock) and as
 * nanos (a monotonic clock): tests of timed behaviour step over periods instead of sleeping.
 */
public final class ManualClock {
  /** 2023-11-14T22:13:20Z: a boundary of windows of 1 s, 10 s and 100 s, so such windows start where tests expect. */
  public static final long START_MILLIS = 1_700_000_000_000L;
  /** The nanos reading at the start: far from zero and negative, as System.nanoTime() may be. */
  private static final long START_NANOS = -7_000_000_000_000_000L;
  private final AtomicLong elapsedNanos = new AtomicLong();
  private final long startMillis;

  /** A clock at {@link #START_MILLIS}. */
  public ManualClock() {
    this(START_MILLIS);
  }

  private ManualClock(long startMillis) {
    this.startMillis = startMillis;
  }

  /** A clock at the system's current time, for tests whose tokens or revocations also carry real dates. */
  public static ManualClock atSystemTime() {
    return new ManualClock(System.currentTimeMillis());
  }

  /** Epoch millis. */
  public long millis() {
    return startMillis + elapsedNanos.get() / 1_000_000;
  }

  /** Epoch seconds, as JWT time claims count them. */
  public long seconds() {
    return millis() / 1000;
  }

  /** Nanos with an arbitrary origin, like {@link System#nanoTime()}. */
  public long nanos() {
    return START_NANOS + elapsedNanos.get();
  }

  /** This clock as a node's clock (circuit breakers, passive ejection, cached answers, rate limiters, token checks). */
  public NodeClock nodeClock() {
    return new NodeClock(this::nanos, this::millis);
  }

  /** Moves the clock forward by {@code step}. */
  public void advance(Duration step) {
    elapsedNanos.addAndGet(step.toNanos());
  }

  /** Moves the clock forward by {@code millis}. */
  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }
}
