package io.gridgate.grid;

import io.gridgate.security.Consumer;
import java.util.function.UnaryOperator;

/** One admin change of a consumer as every store makes it: what to write over what is stored. */
final class ConsumerChange {
  private ConsumerChange() {}

  /**
   * What to store after {@code change} saw the live consumer in {@code stored} (null or a
   * tombstone: none): the new consumer, or a tombstone when it answered null for a live one,
   * at a revision above the stored one; null when there is nothing to write.
   */
  static Consumer apply(Consumer stored, UnaryOperator<Consumer> change, long nowMillis) {
    Consumer live = stored == null || stored.deleted() ? null : stored;
    Consumer next = change.apply(live);
    if (next == null && live == null) {
      return null;
    }
    long revision = Consumer.nextRevision(stored == null ? 0 : stored.revision(), nowMillis);
    return next == null ? Consumer.tombstone(live.id(), revision) : next.withRevision(revision);
  }
}
