package io.gridgate.cluster;

import io.gridgate.grid.BreakerStore;
import io.gridgate.grid.Grid;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.grid.LocalGrid;
import io.gridgate.ratelimit.BucketStore;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a node knows of its cluster: the shared grid, where circuit breakers keep their state, the
 * shared rate-limit buckets (none when standalone), its own member id and the live members.
 */
public record Membership(Grid grid, BreakerStore breakers, BucketStore buckets, String memberId,
                         Supplier<List<String>> members) {

  /** A cluster of one, on the local grid. */
  public static Membership standalone() {
    return new Membership(new LocalGrid(), new LocalBreakerStore(), null, "standalone", () -> List.of("standalone"));
  }
}
