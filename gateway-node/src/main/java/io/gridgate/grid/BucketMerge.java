package io.gridgate.grid;

import io.gridgate.ratelimit.BucketNames;
import io.gridgate.ratelimit.BucketRule;

/**
 * Merge policy of the rate-limit buckets: the state with fewer permits left wins (see
 * {@link BucketRule#fewerLeft}), so what either side granted during a split is never granted again
 * after it heals.
 */
public final class BucketMerge extends GridMergePolicy<long[]> {

  @Override
  long[] choose(String key, long[] merging, long[] existing) {
    return BucketRule.fewerLeft(BucketNames.algorithmOf(key), merging, existing);
  }
}
