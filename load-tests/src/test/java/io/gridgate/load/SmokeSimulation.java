package io.gridgate.load;

/**
 * The CI smoke: (b) mixed traffic and (c) rate-limit accuracy at once, at their default (small)
 * sizes: about 75 requests/s for 40 s after a 10 s warm-up. Run by {@code .ci/run} through
 * {@code load-tests/run.sh smoke}; any failed assertion fails CI.
 */
public class SmokeSimulation extends LoadSimulation {
  public SmokeSimulation() {
    super(new MixedTraffic(), new RateLimitAccuracy());
  }
}
