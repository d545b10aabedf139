package io.gridgate.grid;

/**
 * Merge policy of the configuration history and head: the larger side's history stays exactly as
 * it is and the smaller side's entries are dropped, even versions the larger side does not have,
 * so the history never mixes two lines of versions. The smaller side's nodes then bring back what
 * they applied through {@code ConfigHeal} (re-committed as new versions on top of the head).
 */
public final class ConfigHistoryMerge extends GridMergePolicy<Object> {

  @Override
  Object choose(String key, Object merging, Object existing) {
    return existing;
  }

  @Override
  boolean keepsUnmatched() {
    return false;
  }
}
