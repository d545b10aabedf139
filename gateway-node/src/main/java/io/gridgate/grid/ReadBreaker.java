package io.gridgate.grid;

/** Reads a breaker's state on the key's owner, so the left-over times are on the owner's clock. */
final class ReadBreaker extends BreakerProcessor {
  private static final long serialVersionUID = 1L;

  ReadBreaker() {
    super(null, 0);
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    return current;
  }
}
