package io.gridgate.grid;

import io.vertx.core.json.JsonObject;

/**
 * Merge policy of the consumers: the copy with the higher {@code revision} wins, tombstones
 * included (a missing revision counts as 0), so a consumer deleted on one side is not brought back
 * by a stale copy from the other. Equal revisions keep the greater JSON text, whichever side it is on.
 */
public final class ConsumerMerge extends GridMergePolicy<String> {

  @Override
  String choose(String key, String merging, String existing) {
    long mergingRevision = revision(merging);
    long existingRevision = revision(existing);
    if (mergingRevision != existingRevision) {
      return mergingRevision > existingRevision ? merging : existing;
    }
    return merging.compareTo(existing) > 0 ? merging : existing;
  }

  private static long revision(String json) {
    Object revision = new JsonObject(json).getValue("revision");
    return revision instanceof Number n ? n.longValue() : 0;
  }
}
