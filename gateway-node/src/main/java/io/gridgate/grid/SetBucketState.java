package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.ratelimit.BucketRule;
import java.util.Map;

/** Backup side of the bucket processors: stores exactly the state the owner computed. */
final class SetBucketState implements EntryProcessor<String, long[], long[]> {
  private static final long serialVersionUID = 1L;
  private final long[] state;
  private final BucketRule rule;

  SetBucketState(long[] state, BucketRule rule) {
    this.state = state;
    this.rule = rule;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    BucketEntries.store(entry, state, rule);
    return null;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return null;
  }
}
