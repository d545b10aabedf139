package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Entry processor run on the version key's owner: stores the record unless the version is taken,
 * and returns what was there (null when the claim succeeded).
 */
final class ClaimVersion implements EntryProcessor<Long, String, String> {
  private static final long serialVersionUID = 1L;
  private final String recordJson;

  ClaimVersion(String recordJson) {
    this.recordJson = recordJson;
  }

  @Override
  public String process(Map.Entry<Long, String> entry) {
    String existing = entry.getValue();
    if (existing == null) {
      entry.setValue(recordJson);
    }
    return existing;
  }
}
