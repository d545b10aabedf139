package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Entry processor run on a revocation key's owner: stores the union of what is there and the
 * offered {@code {issued before, expires at}} ({@link RevocationUnion}), living until it expires;
 * an offer that has expired already changes nothing. Answers true when the entry changed.
 */
final class MergeRevocation implements EntryProcessor<String, long[], Boolean> {
  private static final long serialVersionUID = 1L;
  private final long[] offered;

  MergeRevocation(long[] offered) {
    this.offered = offered.clone();
  }

  @Override
  public Boolean process(Map.Entry<String, long[]> entry) {
    long ttl = offered[1] - System.currentTimeMillis();
    long[] current = entry.getValue();
    long[] merged = RevocationUnion.of(current, offered);
    if (ttl <= 0 || (current != null && current[0] == merged[0] && current[1] == merged[1])) {
      return false;
    }
    ((ExtendedMapEntry<String, long[]>) entry).setValue(merged, merged[1] - System.currentTimeMillis(),
        TimeUnit.MILLISECONDS);
    return true;
  }
}
