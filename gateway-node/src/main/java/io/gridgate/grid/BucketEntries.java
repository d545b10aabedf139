package io.gridgate.grid;

import com.hazelcast.map.ExtendedMapEntry;
import io.gridgate.ratelimit.BucketRule;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Writes a bucket's state with a time to live: a bucket unused for two windows (at least a minute) has reset anyway. */
final class BucketEntries {
  private static final long MIN_TTL_MILLIS = 60_000;

  private BucketEntries() {}

  @SuppressWarnings("unchecked")
  static long[] store(Map.Entry<String, long[]> entry, long[] state, BucketRule rule) {
    long ttl = Math.max(MIN_TTL_MILLIS, 2 * rule.windowMillis());
    ((ExtendedMapEntry<String, long[]>) entry).setValue(state, ttl, TimeUnit.MILLISECONDS);
    return state;
  }
}
