package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.gridgate.ratelimit.BucketRule;
import java.io.IOException;
import java.util.Map;

/** Backup side of the bucket processors: stores exactly the state the owner computed. */
final class SetBucketState implements EntryProcessor<String, long[], long[]>, DataSerializable {
  private static final long serialVersionUID = 1L;
  private long[] state;
  private BucketRule rule;

  /** For Hazelcast's deserialization. */
  SetBucketState() {}

  SetBucketState(long[] state, BucketRule rule) {
    this.state = state;
    this.rule = rule;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(state);
    BucketWire.write(out, rule);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    state = in.readLongArray();
    rule = BucketWire.read(in);
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
