package io.gridgate.ratelimit;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What cluster limits know of their cluster: the member count a limit is shared among, and whether
 * this node is on a protected minority side, where cluster limits decide on their share without
 * the grid (node.cluster.minority: protect).
 */
public record ClusterView(IntSupplier members, BooleanSupplier minority) {

  /** A node that is the whole cluster. */
  public static ClusterView alone() {
    return new ClusterView(() -> 1, () -> false);
  }
}
