package io.gridgate.cluster;

import io.gridgate.grid.Grid;
import io.gridgate.grid.LocalGrid;
import io.gridgate.ratelimit.BucketStore;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a node knows of its cluster: the shared grid, the shared rate-limit buckets (none when
 * standalone), its own member id and the live members.
 */
public record Membership(Grid grid, BucketStore buckets, String memberId, Supplier<List<String>> members) {

  /** A cluster of one, on the local grid. */
  public static Membership standalone() {
    return new Membership(new LocalGrid(), null, "standalone", () -> List.of("standalone"));
  }
}
