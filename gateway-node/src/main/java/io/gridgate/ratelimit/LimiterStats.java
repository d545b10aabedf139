package io.gridgate.ratelimit;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one limit's decisions and of its grid traffic, read by the metrics. */
public final class LimiterStats {
  final LongAdder allowed = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder failedOpen = new LongAdder();
  final LongAdder failedClosed = new LongAdder();
  final LongAdder gridCalls = new LongAdder();
  final LongAdder gridFailures = new LongAdder();

  void count(LimitDecision decision) {
    switch (decision.outcome()) {
      case ALLOWED -> allowed.increment();
      case REJECTED -> rejected.increment();
      case UNAVAILABLE -> failedClosed.increment();
    }
  }

  public long allowed() {
    return allowed.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  /** Decisions taken on this node's share of the limit because the grid did not answer. */
  public long failedOpen() {
    return failedOpen.sum();
  }

  /** Requests refused with 503 because the grid did not answer and the limit fails closed. */
  public long failedClosed() {
    return failedClosed.sum();
  }

  /** Calls to the shared buckets (lease takes and returns). */
  public long gridCalls() {
    return gridCalls.sum();
  }

  /** Grid calls that failed or missed the deadline. */
  public long gridFailures() {
    return gridFailures.sum();
  }
}
