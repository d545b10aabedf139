package io.gridgate.ratelimit;

import java.util.Map;
import java.util.Set;

/** One limit of a route with its consumer-group tiers: the limiter of the highest tier among a request's groups, else the default. */
final class TierChoice {
  private final Limiter base;
  private final Map<String, Limiter> tiers;

  TierChoice(Limiter base, Map<String, Limiter> tiers) {
    this.base = base;
    this.tiers = Map.copyOf(tiers);
  }

  Limiter base() {
    return base;
  }

  boolean hasTiers() {
    return !tiers.isEmpty();
  }

  Limiter pick(Set<String> groups) {
    Limiter best = null;
    for (String group : groups) {
      Limiter tier = tiers.get(group);
      if (tier != null && (best == null || tier.spec().limit() > best.spec().limit())) {
        best = tier;
      }
    }
    return best != null ? best : base;
  }
}
