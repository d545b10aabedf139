package io.gridgate.grid;

import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.upstream.BreakerView;
import java.io.Serializable;

/**
 * The stored state of one upstream's breaker. Times are wall-clock millis of the member that ran
 * the last change; every change raises {@code version}, so replicas can drop stale news.
 */
record BreakerRecord(Phase phase, long version, long changedAt, long openUntil, String prober, long claimUntil)
    implements Serializable {
  static final BreakerRecord INITIAL = new BreakerRecord(Phase.CLOSED, 0, 0, 0, null, 0);

  BreakerRecord opened(long now, long openForMillis) {
    return new BreakerRecord(Phase.OPEN, version + 1, now, now + openForMillis, null, 0);
  }

  BreakerRecord claimedBy(String member, long now, long claimForMillis) {
    return new BreakerRecord(Phase.HALF_OPEN, version + 1, now, 0, member, now + claimForMillis);
  }

  BreakerRecord closed(long now) {
    return new BreakerRecord(Phase.CLOSED, version + 1, now, 0, null, 0);
  }

  /** The same state under another version (a split-brain merge moves it above both sides' versions). */
  BreakerRecord withVersion(long newVersion) {
    return new BreakerRecord(phase, newVersion, changedAt, openUntil, prober, claimUntil);
  }

  boolean isProbedBy(String member) {
    return phase == Phase.HALF_OPEN && member.equals(prober);
  }

  /** The state as seen at {@code now} on the clock that wrote it. */
  BreakerView viewAt(long now) {
    return new BreakerView(phase, version, Math.max(0, openUntil - now), prober,
        phase == Phase.HALF_OPEN ? Math.max(0, claimUntil - now) : 0);
  }

  /** The state as news of its change: durations counted from the change itself. */
  BreakerView asNews() {
    return viewAt(changedAt);
  }
}
