package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.security.Consumer;
import java.util.Map;

/**
 * Entry processor run on a consumer id's owner: stores the offered JSON (a consumer or its
 * tombstone) when nothing is there or its revision is higher than the stored one
 * ({@link Consumer#supersedes}). Answers true when the entry changed.
 */
final class MergeConsumer implements EntryProcessor<String, String, Boolean> {
  private static final long serialVersionUID = 1L;
  private final String offered;

  MergeConsumer(String offered) {
    this.offered = offered;
  }

  @Override
  public Boolean process(Map.Entry<String, String> entry) {
    if (!Consumer.supersedes(offered, entry.getValue())) {
      return false;
    }
    entry.setValue(offered);
    return true;
  }
}
