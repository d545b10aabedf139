package io.gridgate.grid;

import io.gridgate.grid.BreakerView.Phase;

/**
 * Opens a breaker for a fresh open period: when a node's detector tripped on a closed breaker
 * ({@code prober} null), or when the current prober saw a probe fail.
 */
final class OpenBreaker extends BreakerProcessor {
  private static final long serialVersionUID = 1L;
  private final String prober;
  private final long openForMillis;

  OpenBreaker(String prober, long openForMillis) {
    this.prober = prober;
    this.openForMillis = openForMillis;
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    boolean opens = prober == null ? current.phase() == Phase.CLOSED : current.isProbedBy(prober);
    return opens ? current.opened(now, openForMillis) : current;
  }
}
