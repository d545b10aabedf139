package io.gridgate.grid;

import io.gridgate.upstream.BreakerView.Phase;

/**
 * Merge policy of the circuit breakers: open wins over half-open, half-open over closed (an
 * upstream found failing on either side stays protected); in the same phase the later change wins
 * (the later opening, so the longer open period). A record taken from the merging side gets a
 * version above both, so no node takes it for stale news.
 */
public final class BreakerMerge extends GridMergePolicy<BreakerRecord> {

  @Override
  BreakerRecord choose(String key, BreakerRecord merging, BreakerRecord existing) {
    int byPhase = Integer.compare(rank(merging.phase()), rank(existing.phase()));
    boolean mergingWins = byPhase != 0 ? byPhase > 0 : merging.changedAt() > existing.changedAt();
    return mergingWins ? merging.withVersion(Math.max(merging.version(), existing.version()) + 1) : existing;
  }

  private static int rank(Phase phase) {
    return switch (phase) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
