package io.gridgate.grid;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.upstream.BreakerView;
import java.util.Map;

/**
 * A change of one breaker's state asked for by {@code member} (null: no member in particular),
 * computed on the key's owner with the owner's clock. The backup receives the exact record the
 * primary computed, so clock logic never runs twice.
 */
abstract class BreakerProcessor extends OwnerProcessor<BreakerRecord, BreakerView> {
  private static final long serialVersionUID = 1L;
  final String member;
  /** How long the state this change sets lasts (open period, probe claim); 0 when it does not expire. */
  final long durationMillis;
  private transient BreakerRecord written;

  BreakerProcessor(String member, long durationMillis) {
    this.member = member;
    this.durationMillis = durationMillis;
  }

  /** The state after this change; {@code current} itself when nothing changes. */
  abstract BreakerRecord next(BreakerRecord current, long now);

  @Override
  public BreakerView process(Map.Entry<String, BreakerRecord> entry) {
    long now = now();
    BreakerRecord current = entry.getValue() == null ? BreakerRecord.INITIAL : entry.getValue();
    BreakerRecord next = next(current, now);
    if (next != current) {
      entry.setValue(next);
      written = next;
    }
    return next.viewAt(now);
  }

  @Override
  public EntryProcessor<String, BreakerRecord, BreakerView> getBackupProcessor() {
    return written == null ? null : new SetBreaker(written);
  }

  /** Backup side of a change: stores the primary's result as is. */
  static final class SetBreaker implements EntryProcessor<String, BreakerRecord, BreakerView> {
    private static final long serialVersionUID = 1L;
    private final BreakerRecord record;

    SetBreaker(BreakerRecord record) {
      this.record = record;
    }

    @Override
    public BreakerView process(Map.Entry<String, BreakerRecord> entry) {
      entry.setValue(record);
      return null;
    }
  }
}
