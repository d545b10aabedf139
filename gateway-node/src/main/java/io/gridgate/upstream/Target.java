package io.gridgate.upstream;

import io.gridgate.config.PassiveHealthCheck;
import io.gridgate.config.TargetSpec;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server of a pool with its live state: requests in flight, active-check health and passive
 * ejection. Shared by every event loop of the node, so all state is thread-safe.
 */
public final class Target {
  private final TargetSpec spec;
  private final SocketAddress address;
  private final PassiveHealthCheck passive;
  private final AtomicInteger inFlight = new AtomicInteger();

  private volatile boolean activeHealthy = true;
  private volatile long ejectedUntilNanos;
  private volatile boolean everEjected; // nanoTime may be negative: ejectedUntilNanos = 0 cannot mean "never"
  private int consecutiveFailures;
  private int ejections;
  private int probeSuccesses;
  private int probeFailures;

  public Target(TargetSpec spec, PassiveHealthCheck passive) {
    this.spec = spec;
    this.address = SocketAddress.inetSocketAddress(spec.port(), spec.host());
    this.passive = passive;
  }

  public TargetSpec spec() {
    return spec;
  }

  public SocketAddress address() {
    return address;
  }

  public int weight() {
    return spec.weight();
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** True when the target may receive traffic: actively healthy and not ejected. */
  public boolean isAvailable(long nowNanos) {
    return activeHealthy && !isEjected(nowNanos);
  }

  public boolean isActiveHealthy() {
    return activeHealthy;
  }

  public boolean isEjected(long nowNanos) {
    return everEjected && nowNanos - ejectedUntilNanos < 0;
  }

  /** Counts an exchange starting with this target (least-connections bookkeeping). */
  public void begin() {
    inFlight.incrementAndGet();
  }

  /** Counts an exchange with this target ending. */
  public void end() {
    inFlight.decrementAndGet();
  }

  /** A proxied exchange with this target succeeded (below 500). */
  public void recordSuccess() {
    if (consecutiveFailures != 0 || ejections != 0) {
      synchronized (this) {
        consecutiveFailures = 0;
        ejections = 0;
      }
    }
  }

  /** A proxied exchange failed (5xx or connect failure); ejects after too many in a row. */
  public synchronized void recordFailure(long nowNanos) {
    if (!passive.enabled() || isEjected(nowNanos)) {
      return;
    }
    if (++consecutiveFailures >= passive.maxFailures()) {
      long base = passive.baseEjection().toNanos();
      long max = passive.maxEjection().toNanos();
      long factor = 1L << Math.min(ejections, 30);
      long backoff = base > max / factor ? max : base * factor;
      ejectedUntilNanos = nowNanos + backoff;
      everEjected = true;
      ejections++;
      consecutiveFailures = 0;
    }
  }

  /** Result of one active probe; flips health after the configured number of consecutive results. */
  synchronized void recordProbe(boolean ok, int healthyThreshold, int unhealthyThreshold) {
    if (ok) {
      probeFailures = 0;
      if (!activeHealthy && ++probeSuccesses >= healthyThreshold) {
        activeHealthy = true;
        probeSuccesses = 0;
      }
    } else {
      probeSuccesses = 0;
      if (activeHealthy && ++probeFailures >= unhealthyThreshold) {
        activeHealthy = false;
        probeFailures = 0;
      }
    }
  }

  @Override
  public String toString() {
    return spec.address();
  }
}
