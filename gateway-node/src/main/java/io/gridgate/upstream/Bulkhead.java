package io.gridgate.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Caps the requests this node has in flight to one upstream, and counts those it turned away. */
public final class Bulkhead {
  private final int maxConcurrent;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();

  public Bulkhead(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  /** Takes a slot; false (and counted) when all are taken. Each success needs one {@link #exit()}. */
  public boolean tryEnter() {
    int current;
    do {
      current = inFlight.get();
      if (current >= maxConcurrent) {
        rejected.increment();
        return false;
      }
    } while (!inFlight.compareAndSet(current, current + 1));
    return true;
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long rejected() {
    return rejected.sum();
  }
}
