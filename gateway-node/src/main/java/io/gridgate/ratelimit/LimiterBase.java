package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;

/** What every limiter has: its declared limit and its counters. */
abstract class LimiterBase implements Limiter {
  protected final RateLimitSpec spec;
  protected final LimiterStats stats = new LimiterStats();

  LimiterBase(RateLimitSpec spec) {
    this.spec = spec;
  }

  @Override
  public RateLimitSpec spec() {
    return spec;
  }

  @Override
  public LimiterStats stats() {
    return stats;
  }
}
