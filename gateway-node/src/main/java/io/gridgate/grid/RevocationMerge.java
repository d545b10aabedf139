package io.gridgate.grid;

/**
 * Merge policy of the revocations: the union of both sides' revocation of a key, i.e. the later
 * "issued before" and the later expiry ({@link RevocationUnion}), so a token revoked on either side
 * of a split stays revoked.
 */
public final class RevocationMerge extends GridMergePolicy<long[]> {

  @Override
  long[] choose(String key, long[] merging, long[] existing) {
    if (existing[0] >= merging[0] && existing[1] >= merging[1]) {
      return existing;
    }
    if (merging[0] >= existing[0] && merging[1] >= existing[1]) {
      return merging;
    }
    return RevocationUnion.of(existing, merging);
  }
}
