package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.gridgate.ratelimit.BucketRule;
import io.gridgate.ratelimit.PermitRequest;
import java.io.IOException;
import java.util.Map;

/**
 * Entry processor run on a bucket's owner: counts a node's fail-open spending, takes permits with
 * the owner's clock and returns the
 * grant as a {@code long[]}. Its backup copies the resulting state instead of recomputing it, so
 * a backup member's clock can never make the copies differ.
 */
final class TakePermits extends OwnerProcessor<long[], long[]> implements DataSerializable {
  private static final long serialVersionUID = 1L;
  private BucketRule rule;
  private PermitRequest request;
  private transient long[] result;

  /** For Hazelcast's deserialization. */
  TakePermits() {}

  TakePermits(BucketRule rule, PermitRequest request) {
    this.rule = rule;
    this.request = request;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    BucketWire.write(out, rule);
    out.writeLong(request.requested());
    out.writeInt(request.members());
    out.writeLong(request.chargeEpoch());
    out.writeLong(request.charge());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    rule = BucketWire.read(in);
    request = new PermitRequest(in.readLong(), in.readInt(), in.readLong(), in.readLong());
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    long now = now();
    long[] state = entry.getValue() == null ? rule.newState(now) : entry.getValue();
    long[] grant = request.applyTo(rule, state, now).toArray();
    result = BucketEntries.store(entry, state, rule);
    return grant;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return new SetBucketState(result, rule);
  }
}
