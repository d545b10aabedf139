package io.gridgate.cluster;

import io.gridgate.clock.NodeClock;
import io.gridgate.distribution.ConfigStore;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.grid.LocalConsumerStore;
import io.gridgate.grid.LocalConfigStore;
import io.gridgate.grid.LocalRevocationStore;
import io.gridgate.grid.Reconciliation;
import io.gridgate.ratelimit.BucketStore;
import io.gridgate.security.ConsumerStore;
import io.gridgate.security.RevocationStore;
import io.gridgate.upstream.BreakerStore;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a node knows of its cluster: the shared grid, where circuit breakers keep their state, the
 * shared rate-limit buckets (none when standalone), the revocations and consumers, its own member
 * id and the live members, and what keeps its replicas of the grid converged.
 */
public record Membership(ConfigStore grid, BreakerStore breakers, BucketStore buckets, RevocationStore revocations,
                         ConsumerStore consumers, String memberId, Supplier<List<String>> members,
                         Reconciliation reconciliation) {

  /** True for a cluster of one on the local grid (it has no shared buckets). */
  public boolean isStandalone() {
    return buckets == null;
  }

  /** A cluster of one, on the local grid. */
  public static Membership standalone() {
    return standalone(NodeClock.SYSTEM);
  }

  /** A cluster of one whose breaker state is timed by {@code clock}'s wall clock (tests move it by hand). */
  public static Membership standalone(NodeClock clock) {
    return new Membership(new LocalConfigStore(), new LocalBreakerStore(clock.millis()), null,
        new LocalRevocationStore(), new LocalConsumerStore(), "standalone", () -> List.of("standalone"),
        Reconciliation.NONE);
  }
}
