package io.gridgate.load;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A feeder that never runs dry: the records of {@code records}, round-robin. The list is read at
 * each call, so it may be filled in {@code before()}, after the scenarios were built.
 */
final class Cycle implements Iterator<Map<String, Object>> {

  private final Supplier<List<Map<String, Object>>> records;
  private final AtomicLong next = new AtomicLong();

  Cycle(Supplier<List<Map<String, Object>>> records) {
    this.records = records;
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Map<String, Object> next() {
    List<Map<String, Object>> all = records.get();
    if (all.isEmpty()) {
      throw new IllegalStateException("feeder used before its records were made");
    }
    return all.get((int) (next.getAndIncrement() % all.size()));
  }
}
