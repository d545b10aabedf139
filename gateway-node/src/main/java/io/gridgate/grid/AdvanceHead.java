package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Entry processor run on the head key's owner: raises the head version, never lowers it. */
final class AdvanceHead implements EntryProcessor<String, Long, Long> {
  private static final long serialVersionUID = 1L;
  private final long version;

  AdvanceHead(long version) {
    this.version = version;
  }

  @Override
  public Long process(Map.Entry<String, Long> entry) {
    Long current = entry.getValue();
    if (current == null || current < version) {
      entry.setValue(version);
      return version;
    }
    return current;
  }
}
