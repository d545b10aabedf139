package io.gridgate.upstream;

import io.gridgate.config.CircuitBreakerSpec;
import io.gridgate.upstream.BreakerView.Phase;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * This node's circuit breaker for one upstream: a replica of the state in its {@link BreakerStore}
 * (answering requests without a store call), the failure detector that trips it, and this node's
 * probe slot while it is the cluster's prober in half-open. A trip opens the replica at once, before
 * the store answers, so no request is admitted after the threshold. Safe to use from any event loop.
 */
public final class CircuitBreaker {
  /** What to do with a request. */
  public enum Decision {
    /** Closed: send it. */
    ALLOW,
    /** Send it as this node's one probe; its outcome must be recorded with {@code probe} true. */
    PROBE,
    /** Answer 503 without touching the upstream. */
    REJECT,
    /** The open period seems over: {@link #claimProbe()} decides. */
    CLAIM
  }

  private final String upstream;
  private final CircuitBreakerSpec spec;
  private final BreakerStore store;
  private final LongSupplier clockNanos;
  private final FailureWindow window;
  private final AtomicLongArray transitions = new AtomicLongArray(Phase.values().length);
  private volatile Phase phase = Phase.CLOSED;
  private long version = -1;
  private long openUntilNanos;
  private long claimUntilNanos;
  private boolean prober;
  private boolean probeInFlight;
  private int probeSuccesses;
  /** A store change of this node is under way; no other is started meanwhile. */
  private boolean pending;
  /** Opened by this node's detector and not yet confirmed by the store (the replica's version is the one before). */
  private boolean trippedLocally;

  public CircuitBreaker(String upstream, CircuitBreakerSpec spec, BreakerStore store, LongSupplier clockNanos) {
    this.upstream = upstream;
    this.spec = spec;
    this.store = store;
    this.clockNanos = clockNanos;
    this.window = new FailureWindow(spec);
    store.watch(upstream, this::apply);
  }

  public CircuitBreakerSpec spec() {
    return spec;
  }

  public Phase phase() {
    return phase;
  }

  /** How many times this node saw the breaker enter {@code to}. */
  public long transitions(Phase to) {
    return transitions.get(to.ordinal());
  }

  /** True while requests go through (a retry is sent only then); a volatile read. */
  public boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  /** Decides on a request; only a closed breaker answers without taking a lock. */
  public Decision admit() {
    if (phase == Phase.CLOSED) {
      return Decision.ALLOW;
    }
    long now = clockNanos.getAsLong();
    synchronized (this) {
      switch (phase) {
        case CLOSED:
          return Decision.ALLOW;
        case OPEN:
          if (now - openUntilNanos < 0) {
            return Decision.REJECT;
          }
          break;
        default:
          if (now - claimUntilNanos < 0) {
            return prober ? takeProbe() : Decision.REJECT;
          }
      }
      if (pending) {
        return Decision.REJECT;
      }
      pending = true;
      return Decision.CLAIM;
    }
  }

  private Decision takeProbe() {
    if (probeInFlight || pending) {
      return Decision.REJECT;
    }
    probeInFlight = true;
    return Decision.PROBE;
  }

  /**
   * After {@link Decision#CLAIM}: asks the store to make this node the prober. True when the
   * request may go as this node's probe (record its outcome with {@code probe} true).
   */
  public Future<Boolean> claimProbe() {
    return store.claimProbe(upstream, spec.openFor().toMillis()).transform(ar -> {
      if (ar.succeeded()) {
        confirm(ar.result());
      }
      synchronized (this) {
        pending = false;
        if (ar.failed() && trippedLocally) {
          // the store never opened it and cannot be reached: the node's own detector decides meanwhile
          enter(Phase.CLOSED);
          trippedLocally = false;
        }
        return Future.succeededFuture(phase == Phase.HALF_OPEN && prober && takeProbe() == Decision.PROBE);
      }
    });
  }

  /** Seconds a client should wait before trying again (at least 1). */
  public long retryAfterSeconds() {
    long left;
    synchronized (this) {
      left = phase == Phase.OPEN ? openUntilNanos - clockNanos.getAsLong() : 0;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + TimeUnit.SECONDS.toNanos(1) - 1));
  }

  /**
   * Records an attempt's outcome (an upstream 5xx, timeout or connect error is a failure). A probe's
   * outcome decides half-open; other outcomes only count while closed.
   */
  public void record(boolean success, boolean probe) {
    if (probe) {
      probeResult(success);
      return;
    }
    if (phase != Phase.CLOSED) {
      return;
    }
    long now = clockNanos.getAsLong();
    synchronized (this) {
      if (phase != Phase.CLOSED || !window.record(success, now)) {
        return;
      }
      // the threshold is reached here: stop admitting now, the store's answer only confirms it
      openUntilNanos = now + spec.openFor().toNanos();
      enter(Phase.OPEN);
      trippedLocally = true;
      if (pending) {
        return;
      }
      pending = true;
    }
    settle(store.trip(upstream, spec.openFor().toMillis()));
  }

  /** A probe ended with no verdict (the client went away): the slot is free again. */
  public synchronized void releaseProbe() {
    probeInFlight = false;
  }

  private void probeResult(boolean success) {
    synchronized (this) {
      probeInFlight = false;
      if (phase != Phase.HALF_OPEN || !prober || pending) {
        return;
      }
      if (success && ++probeSuccesses < spec.halfOpenSuccesses()) {
        return;
      }
      pending = true;
    }
    settle(success ? store.probesSucceeded(upstream) : store.probeFailed(upstream, spec.openFor().toMillis()));
  }

  private void settle(Future<BreakerView> change) {
    change.onComplete(ar -> {
      synchronized (this) {
        pending = false;
      }
      if (ar.succeeded()) {
        confirm(ar.result());
      }
    });
  }

  /** Takes in the store's answer to this node's own change: it replaces a local trip even at the same version. */
  private synchronized void confirm(BreakerView view) {
    apply(view, trippedLocally && view.version() >= version);
  }

  /** Takes in news of the store's state (from the listener). */
  private synchronized void apply(BreakerView view) {
    apply(view, false);
  }

  /**
   * Takes in the store's state; older versions are ignored, the same version refreshes the times.
   * While a local trip awaits the store's answer, news of a closed breaker cannot undo it; the
   * answer itself ({@code replacesTrip}) is taken whatever its version.
   */
  private void apply(BreakerView view, boolean replacesTrip) {
    if (!replacesTrip && (view.version() < version || trippedLocally && view.phase() == Phase.CLOSED)) {
      return;
    }
    trippedLocally = false;
    long now = clockNanos.getAsLong();
    boolean changed = replacesTrip || view.version() > version;
    boolean wasProbing = phase == Phase.HALF_OPEN && prober;
    version = view.version();
    openUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(view.openMillisLeft());
    claimUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(view.claimMillisLeft());
    prober = store.memberId().equals(view.prober());
    if (!changed) {
      return;
    }
    if (!(wasProbing && prober)) {
      probeSuccesses = 0;
    }
    if (view.phase() != phase) {
      enter(view.phase());
    }
  }

  private void enter(Phase next) {
    window.reset();
    transitions.incrementAndGet(next.ordinal());
    phase = next;
  }
}
