package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.ratelimit.BucketRule;
import java.util.Map;

/** Entry processor run on a bucket's owner: puts back permits a node leased and did not spend. */
final class GiveBackPermits implements EntryProcessor<String, long[], long[]> {
  private static final long serialVersionUID = 1L;
  private final BucketRule rule;
  private final long epoch;
  private final long permits;
  private transient long[] result;

  GiveBackPermits(BucketRule rule, long epoch, long permits) {
    this.rule = rule;
    this.epoch = epoch;
    this.permits = permits;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    long[] state = entry.getValue();
    if (state != null) {
      rule.giveBack(state, System.currentTimeMillis(), epoch, permits);
      result = BucketEntries.store(entry, state, rule);
    }
    return null;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return result == null ? null : new SetBucketState(result, rule);
  }
}
