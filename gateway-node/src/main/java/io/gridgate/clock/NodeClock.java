package io.gridgate.clock;

import java.util.function.LongSupplier;

/**
 * The clocks a node times its own state by: monotonic nanos for its circuit breakers' open and
 * claim periods and failure windows, passive ejection of targets, the age of cached answers and
 * of remembered token checks (verified JWTs, introspection answers), JWKS refresh pacing and its
 * rate limiters' leases, idle returns and grid retry pause; the wall clock (epoch millis) for
 * tokens' exp, nbf and iat, the end of revocations, and breaker state and bucket windows the node
 * keeps itself ({@code scope: local}, standalone nodes). Cluster state is timed by its owner's
 * clock; tests pass a manual one.
 */
public record NodeClock(LongSupplier nanos, LongSupplier millis) {
  /** The system's clocks. */
  public static final NodeClock SYSTEM = new NodeClock(System::nanoTime, System::currentTimeMillis);
}
