package io.gridgate.load;

/** (b) Realistic mixed traffic: see {@link MixedTraffic} for the traffic and its verdicts. */
public class MixedTrafficSimulation extends LoadSimulation {
  public MixedTrafficSimulation() {
    super(new MixedTraffic());
  }
}
