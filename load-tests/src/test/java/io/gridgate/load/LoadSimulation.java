package io.gridgate.load;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation made of {@link LoadPart}s: a {@link WarmUp}, then every part at once, each judged by
 * its own assertions. {@code maxDuration} (warm-up + the longest part + {@code gridgate.graceSeconds},
 * default 30) stops the run even if the target hangs; keep the grace above the request timeout so
 * that a hung request ends as a KO instead of being cut.
 */
abstract class LoadSimulation extends Simulation {

  private final List<LoadPart> parts;

  protected LoadSimulation(LoadPart... parts) {
    this.parts = List.of(parts);
    WarmUp warmUp = new WarmUp();
    List<PopulationBuilder> populations = new ArrayList<>();
    List<Assertion> assertions = new ArrayList<>();
    Duration longest = Duration.ZERO;
    System.out.printf(
        "%s against [%s], warm-up %d s%n",
        getClass().getSimpleName(), GatewayTarget.describe(), warmUp.duration().toSeconds());
    for (LoadPart part : parts) {
      populations.addAll(part.populations());
      assertions.addAll(part.assertions());
      longest = longest.compareTo(part.duration()) < 0 ? part.duration() : longest;
      System.out.println("  " + part.describe());
    }
    PopulationBuilder warm = warmUp.population();
    Duration grace = Props.seconds("gridgate.graceSeconds", 30);
    (warm == null ? setUp(populations) : setUp(warm.andThen(populations)))
        .protocols(GatewayTarget.protocol())
        .maxDuration(warmUp.duration().plus(longest).plus(grace))
        .assertions(assertions);
  }

  @Override
  public void before() {
    parts.forEach(LoadPart::before);
  }
}
