package io.gridgate.grid;

/** Closes a half-open breaker after the member probing it saw enough successful probes. */
final class CloseBreaker extends BreakerProcessor {
  private static final long serialVersionUID = 1L;

  CloseBreaker(String prober) {
    super(prober, 0);
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    return current.isProbedBy(member) ? current.closed(now) : current;
  }
}
