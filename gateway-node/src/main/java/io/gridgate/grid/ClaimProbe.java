package io.gridgate.grid;

/**
 * Makes the member the cluster's only prober for a while: once the open period is over, or when
 * the current prober's claim ran out (it died or went quiet), or to renew the member's own claim.
 */
final class ClaimProbe extends BreakerProcessor {
  private static final long serialVersionUID = 1L;

  ClaimProbe(String member, long claimForMillis) {
    super(member, claimForMillis);
  }

  @Override
  BreakerRecord next(BreakerRecord current, long now) {
    boolean claimable = switch (current.phase()) {
      case OPEN -> now >= current.openUntil();
      case HALF_OPEN -> member.equals(current.prober()) || now >= current.claimUntil();
      case CLOSED -> false;
    };
    return claimable ? current.claimedBy(member, now, durationMillis) : current;
  }
}
