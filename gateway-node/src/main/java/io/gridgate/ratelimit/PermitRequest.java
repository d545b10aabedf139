package io.gridgate.ratelimit;

/**
 * A node's request to a bucket's owner: how many permits it wants, how many members it sees (the
 * owner caps batches by it), and the permits it spent on its own in window {@code chargeEpoch}
 * while the grid could not answer, to be counted first.
 */
public record PermitRequest(long requested, int members, long chargeEpoch, long charge) {

  /** Applies this request to a bucket's state at the owner's time {@code now}. */
  public Grant applyTo(BucketRule rule, long[] state, long now) {
    if (charge > 0) {
      rule.charge(state, now, chargeEpoch, charge);
    }
    return rule.take(state, now, requested, members);
  }
}
