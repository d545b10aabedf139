package io.gridgate.load;

/** (c) Cluster rate-limit accuracy: see {@link RateLimitAccuracy} for the traffic and its verdict. */
public class RateLimitAccuracySimulation extends LoadSimulation {
  public RateLimitAccuracySimulation() {
    super(new RateLimitAccuracy());
  }
}
