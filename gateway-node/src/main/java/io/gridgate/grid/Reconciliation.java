package io.gridgate.grid;

import java.time.Duration;

/**
 * Keeps a node's replicas of grid maps (revocations, consumers, breakers) converged beyond their
 * entry listeners: re-reads on membership changes and merges, and a periodic digest check. None for
 * a standalone node, whose replicas are fed in-process.
 */
public interface Reconciliation {
  Reconciliation NONE = new Reconciliation() {
    @Override
    public void start(Duration digestInterval, ReplicaMetrics metrics, Runnable onMembershipChange) {
    }

    @Override
    public void stop() {
    }
  };

  /**
   * Starts comparing every replica's digest with the grid's each {@code digestInterval} (re-reading
   * on a mismatch) and re-reading all of them when a member joins or leaves or this member merged
   * back after a split; {@code onMembershipChange} runs on those events too.
   */
  void start(Duration digestInterval, ReplicaMetrics metrics, Runnable onMembershipChange);

  void stop();
}
