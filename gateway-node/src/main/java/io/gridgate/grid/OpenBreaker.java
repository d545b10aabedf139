package io.gridgate.grid;

import io.gridgate.upstream.BreakerView.Phase;

/**
 * Opens a breaker for a fresh open period: when a node's detector tripped on a closed breaker
 * (no member given), or when the member probing it saw a probe fail.
 */
final class OpenBreaker extends BreakerProcessor {
  private static final long serialVersionUID = 1L;

  OpenBreaker(String prober, long openForMillis) {
    super(prober, openForMillis);
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    boolean opens = member == null ? current.phase() == Phase.CLOSED : current.isProbedBy(member);
    return opens ? current.opened(now, durationMillis) : current;
  }
}
