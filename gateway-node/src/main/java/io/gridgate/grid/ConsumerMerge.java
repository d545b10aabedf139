package io.gridgate.grid;

import io.gridgate.security.Consumer;

/**
 * Merge policy of the consumers: the copy with the higher {@code revision} wins, tombstones
 * included (a missing revision counts as 0), so a consumer deleted on one side is not brought back
 * by a stale copy from the other. Equal revisions keep the greater JSON text, whichever side it is on.
 */
public final class ConsumerMerge extends GridMergePolicy<String> {

  @Override
  String choose(String key, String merging, String existing) {
    long mergingRevision = Consumer.revisionOf(merging);
    long existingRevision = Consumer.revisionOf(existing);
    if (mergingRevision != existingRevision) {
      return mergingRevision > existingRevision ? merging : existing;
    }
    return merging.compareTo(existing) > 0 ? merging : existing;
  }
}
