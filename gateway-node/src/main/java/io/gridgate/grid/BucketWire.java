package io.gridgate.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.gridgate.config.RateLimitSpec.Algorithm;
import io.gridgate.ratelimit.BucketRule;
import java.io.IOException;

/**
 * Compact wire form of a bucket rule for the bucket processors, which travel on every lease call:
 * Hazelcast's DataSerializable with a handful of numbers instead of Java serialization.
 */
final class BucketWire {
  private static final Algorithm[] ALGORITHMS = Algorithm.values();

  private BucketWire() {}

  static void write(ObjectDataOutput out, BucketRule rule) throws IOException {
    out.writeByte(rule.algorithm().ordinal());
    out.writeLong(rule.limit());
    out.writeLong(rule.windowMillis());
    out.writeLong(rule.burst());
  }

  static BucketRule read(ObjectDataInput in) throws IOException {
    return new BucketRule(ALGORITHMS[in.readByte()], in.readLong(), in.readLong(), in.readLong());
  }
}
