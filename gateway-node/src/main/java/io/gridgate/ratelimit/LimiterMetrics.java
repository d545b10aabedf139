package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec;

/** Where a node publishes each limit's counters while the limit is declared. */
public interface LimiterMetrics {
  /** Publishes nothing (no metrics registry). */
  LimiterMetrics NONE = new LimiterMetrics() {
    @Override
    public void register(RateLimitSpec spec, LimiterStats stats) {
      // no registry
    }

    @Override
    public void remove(RateLimitSpec spec) {
      // no registry
    }
  };

  void register(RateLimitSpec spec, LimiterStats stats);

  void remove(RateLimitSpec spec);
}
