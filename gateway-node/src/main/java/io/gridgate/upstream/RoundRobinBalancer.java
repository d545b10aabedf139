package io.gridgate.upstream;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Takes targets in turn, ignoring weights. */
final class RoundRobinBalancer implements LoadBalancer {
  private final Target[] targets;
  private final AtomicInteger next = new AtomicInteger();

  RoundRobinBalancer(Target[] targets) {
    this.targets = targets;
  }

  @Override
  public Target pick(String hashKey, Set<Target> tried, long nowNanos) {
    int n = targets.length;
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      Target t = targets[(start + i) % n];
      if (LoadBalancer.usable(t, tried, nowNanos)) {
        return t;
      }
    }
    return null;
  }
}
