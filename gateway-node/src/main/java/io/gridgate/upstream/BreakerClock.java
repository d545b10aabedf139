package io.gridgate.upstream;

import java.util.function.LongSupplier;

/**
 * The clocks a node's circuit breakers read: monotonic nanos for each replica's open and claim
 * periods and its failure window, and the wall clock (epoch millis) of breaker state the node keeps
 * itself ({@code scope: local}, standalone nodes). Cluster state is timed by its owner's clock.
 */
public record BreakerClock(LongSupplier nanos, LongSupplier millis) {
  /** The system's clocks. */
  public static final BreakerClock SYSTEM = new BreakerClock(System::nanoTime, System::currentTimeMillis);
}
