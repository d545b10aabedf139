package io.gridgate.load;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.List;

/** One kind of traffic with its acceptance, run by a {@link LoadSimulation} after the warm-up. */
interface LoadPart {

  /** Prepares the cluster (consumers, keys) before any load; runs in the simulation's {@code before()}. */
  default void before() {}

  /** The traffic, run at once, each followed by its {@link Verdicts} when it has any. */
  List<PopulationBuilder> populations();

  /** The assertions that judge the traffic; every one names its own requests, never the warm-up. */
  List<Assertion> assertions();

  /** How long the traffic is injected. */
  Duration duration();

  /** One line for the console: what the part sends and what it asserts. */
  String describe();
}
