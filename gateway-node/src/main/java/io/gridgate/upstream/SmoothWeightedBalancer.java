package io.gridgate.upstream;

import java.util.Set;

/** nginx's smooth weighted round-robin: weights respected, picks interleaved rather than bunched. */
final class SmoothWeightedBalancer implements LoadBalancer {
  private final Target[] targets;
  private final int[] current;

  SmoothWeightedBalancer(Target[] targets) {
    this.targets = targets;
    this.current = new int[targets.length];
  }

  @Override
  public synchronized Target pick(String hashKey, Set<Target> tried, long nowNanos) {
    int total = 0;
    int best = -1;
    for (int i = 0; i < targets.length; i++) {
      Target t = targets[i];
      if (!LoadBalancer.usable(t, tried, nowNanos)) {
        continue;
      }
      current[i] += t.weight();
      total += t.weight();
      if (best < 0 || current[i] > current[best]) {
        best = i;
      }
    }
    if (best < 0) {
      return null;
    }
    current[best] -= total;
    return targets[best];
  }
}
