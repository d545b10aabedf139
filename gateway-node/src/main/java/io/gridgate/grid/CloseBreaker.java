package io.gridgate.grid;

/** Closes a half-open breaker after its prober saw enough successful probes. */
final class CloseBreaker extends BreakerProcessor {
  private static final long serialVersionUID = 1L;
  private final String prober;

  CloseBreaker(String prober) {
    this.prober = prober;
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    return current.isProbedBy(prober) ? current.closed(now) : current;
  }
}
