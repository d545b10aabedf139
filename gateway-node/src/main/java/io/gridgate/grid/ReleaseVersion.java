package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Entry processor run on the version key's owner: removes the record only if it is still the one given. */
final class ReleaseVersion implements EntryProcessor<Long, String, Boolean> {
  private static final long serialVersionUID = 1L;
  private final String recordJson;

  ReleaseVersion(String recordJson) {
    this.recordJson = recordJson;
  }

  @Override
  public Boolean process(Map.Entry<Long, String> entry) {
    if (recordJson.equals(entry.getValue())) {
      entry.setValue(null);
      return true;
    }
    return false;
  }
}
