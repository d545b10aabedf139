package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Entry processor run on the head key's owner. A commit moves the head from exactly its base
 * version to the last version it claimed and returns the head it found (the commit lost a race
 * when that is not the base); an offered snapshot ({@link #toAtLeast}) only ever raises the head.
 */
final class AdvanceHead implements EntryProcessor<String, Long, Long> {
  private static final long serialVersionUID = 1L;
  private final long expected;
  private final long version;

  private AdvanceHead(long expected, long version) {
    this.expected = expected;
    this.version = version;
  }

  /** Moves the head from {@code base} to {@code version} (the last of the versions one commit claimed). */
  static AdvanceHead from(long base, long version) {
    return new AdvanceHead(base, version);
  }

  /** Raises the head to {@code version} unless it is already there or beyond. */
  static AdvanceHead toAtLeast(long version) {
    return new AdvanceHead(-1, version);
  }

  @Override
  public Long process(Map.Entry<String, Long> entry) {
    long current = entry.getValue() == null ? 0 : entry.getValue();
    boolean move = expected < 0 ? current < version : current == expected;
    if (move) {
      entry.setValue(version);
    }
    return current;
  }
}
