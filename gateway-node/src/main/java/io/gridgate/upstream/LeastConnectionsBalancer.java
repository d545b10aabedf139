package io.gridgate.upstream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks the target with the fewest requests in flight relative to its weight; ties go round-robin. */
final class LeastConnectionsBalancer implements LoadBalancer {
  private final Target[] targets;
  private final AtomicInteger offset = new AtomicInteger();

  LeastConnectionsBalancer(Target[] targets) {
    this.targets = targets;
  }

  @Override
  public Target pick(String hashKey, Set<Target> tried, long nowNanos) {
    int n = targets.length;
    int start = Math.floorMod(offset.getAndIncrement(), n);
    Target best = null;
    double bestLoad = Double.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Target t = targets[(start + i) % n];
      if (!LoadBalancer.usable(t, tried, nowNanos)) {
        continue;
      }
      double load = (double) t.inFlight() / t.weight();
      if (load < bestLoad) {
        best = t;
        bestLoad = load;
      }
    }
    return best;
  }
}
