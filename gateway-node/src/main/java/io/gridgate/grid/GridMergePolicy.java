package io.gridgate.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import com.hazelcast.spi.merge.MergingEntry;

/**
 * Base of GridGate's split-brain merge policies for its IMaps. After a split heals, Hazelcast
 * merges the smaller side into the larger one and calls {@link #merge} on the key's owner for each
 * entry of the smaller side, with the larger side's entry as {@code existing} (null when it has
 * none). A key only the smaller side has is kept unless {@link #keepsUnmatched} says otherwise;
 * when both have it, {@link #choose} decides on the deserialized values. Policies are stateless,
 * so nothing is serialized. They ask only for the entry ({@link MergingEntry}; Hazelcast hands an
 * IMap's {@code MapMergeTypes}): the other merge types need per-entry statistics, which GridGate's
 * maps do not keep.
 */
abstract class GridMergePolicy<V> implements SplitBrainMergePolicy<V, MergingEntry<Object, V>, Object> {

  @Override
  public Object merge(MergingEntry<Object, V> merging, MergingEntry<Object, V> existing) {
    if (existing == null) {
      return keepsUnmatched() ? merging.getRawValue() : null;
    }
    V mine = existing.getValue();
    V theirs = merging.getValue();
    V chosen = choose(String.valueOf(existing.getKey()), theirs, mine);
    if (chosen == mine) {
      return existing.getRawValue();
    }
    return chosen == theirs ? merging.getRawValue() : chosen;
  }

  /**
   * The value to keep for {@code key}: {@code merging} (the smaller side's), {@code existing} (the
   * larger side's) or a new value combining both. Must not depend on which side is which, so both
   * merge directions end alike.
   */
  abstract V choose(String key, V merging, V existing);

  /** Whether an entry only the smaller side has is added (returning null drops it). */
  boolean keepsUnmatched() {
    return true;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public void readData(ObjectDataInput in) {
    // stateless
  }
}
