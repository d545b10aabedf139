package io.gridgate.cluster;

import io.gridgate.grid.BreakerStore;
import io.gridgate.grid.Grid;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.grid.LocalGrid;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a node knows of its cluster: the shared grid, where circuit breakers keep their state, its
 * own member id and the live members.
 */
public record Membership(Grid grid, BreakerStore breakers, String memberId, Supplier<List<String>> members) {

  /** A cluster of one, on the local grid. */
  public static Membership standalone() {
    return new Membership(new LocalGrid(), new LocalBreakerStore(), "standalone", () -> List.of("standalone"));
  }
}
