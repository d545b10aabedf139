package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.gridgate.ratelimit.BucketRule;
import java.io.IOException;
import java.util.Map;

/** Entry processor run on a bucket's owner: puts back permits a node leased and did not spend. */
final class GiveBackPermits extends OwnerProcessor<long[], long[]> implements DataSerializable {
  private static final long serialVersionUID = 1L;
  private BucketRule rule;
  private long epoch;
  private long permits;
  private transient long[] result;

  /** For Hazelcast's deserialization. */
  GiveBackPermits() {}

  GiveBackPermits(BucketRule rule, long epoch, long permits) {
    this.rule = rule;
    this.epoch = epoch;
    this.permits = permits;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    BucketWire.write(out, rule);
    out.writeLong(epoch);
    out.writeLong(permits);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    rule = BucketWire.read(in);
    epoch = in.readLong();
    permits = in.readLong();
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    long[] state = entry.getValue();
    if (state != null) {
      rule.giveBack(state, now(), epoch, permits);
      result = BucketEntries.store(entry, state, rule);
    }
    return null;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return result == null ? null : new SetBucketState(result, rule);
  }
}
