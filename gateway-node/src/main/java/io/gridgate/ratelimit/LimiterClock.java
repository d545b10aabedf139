package io.gridgate.ratelimit;

import java.util.function.LongSupplier;

/**
 * The clocks a node's limiters read: monotonic nanos for leases, idle returns and the grid's retry
 * pause, and the wall clock (epoch millis) for the windows of buckets the node keeps itself.
 */
public record LimiterClock(LongSupplier nanos, LongSupplier millis) {
  /** The system's clocks. */
  public static final LimiterClock SYSTEM = new LimiterClock(System::nanoTime, System::currentTimeMillis);
}
