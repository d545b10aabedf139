package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulation (c)'s traffic: a constant arrival rate above a cluster-wide {@code fixed_window} limit
 * (route {@code /limited/}, one bucket for the route), spread round-robin over the nodes. With all
 * nodes up the gateway admits exactly the limit per window (docs/rate-limiting.md), so the verdict
 * is: in every complete window, exactly {@code limit} 200s and 429 for every other request.
 *
 * <p>Properties: {@code gridgate.accuracy.rps} (30), {@code gridgate.accuracy.limit} (25) and
 * {@code gridgate.accuracy.window} (5 s), which must match the cluster's route (run.sh passes
 * both), {@code gridgate.accuracy.tolerance} (0), {@code gridgate.guardMs} (1000),
 * {@code gridgate.duration} (40 s), {@code gridgate.p99Ms} (1000).
 */
final class RateLimitAccuracy implements LoadPart {

  static final String REQUEST = "GET /limited/";

  private final int rps = Props.positiveInt("gridgate.accuracy.rps", 30);
  private final int limit = Props.positiveInt("gridgate.accuracy.limit", 25);
  private final int tolerance = Props.nonNegativeInt("gridgate.accuracy.tolerance", 0);
  private final Windows windows =
      new Windows(
          Props.seconds("gridgate.accuracy.window", 5),
          Duration.ofMillis(Props.positiveInt("gridgate.guardMs", 1000)));
  private final Duration duration = Props.seconds("gridgate.duration", 40);
  private final int p99Ms = Props.positiveInt("gridgate.p99Ms", 1000);
  private final OutcomeCounts counts = new OutcomeCounts();
  private final Verdicts verdicts =
      new Verdicts("accuracy")
          .add(
              "200s per window = the limit",
              () -> new ExactWindows(counts, limit, tolerance).failure(REQUEST));

  RateLimitAccuracy() {
    double perWindow = rps * windows.band().toMillis() / 1000.0;
    if (perWindow <= limit) {
      throw new IllegalArgumentException(
          "gridgate.accuracy.rps=" + rps + " sends about " + (long) perWindow
              + " requests per window: raise it above the limit " + limit);
    }
  }

  @Override
  public List<PopulationBuilder> populations() {
    return List.of(
        scenario("rate-limit accuracy")
        .exec(GatewayTarget.pickNode())
        .exec(
            counts.sendInWindow(
                GatewayTarget.get(REQUEST, "/limited/").check(status().in(200, 429)),
                session -> "route limited",
                windows))
        .injectOpen(constantUsersPerSec(rps).during(duration))
        .andThen(verdicts.population(GatewayTarget.pickNode())));
  }

  @Override
  public List<Assertion> assertions() {
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(details(REQUEST).successfulRequests().percent().is(100.0));
    assertions.add(details(REQUEST).responseTime().percentile(99.0).lt(p99Ms));
    assertions.addAll(verdicts.assertions());
    return assertions;
  }

  @Override
  public Duration duration() {
    return duration;
  }

  @Override
  public String describe() {
    return String.format(
        "accuracy: %d rps on /limited/ for %d s (limit %d per %d s); assert 200 or 429 only, p99 < %d ms,"
            + " exactly %d x 200 per complete window (tolerance %d)",
        rps, duration.toSeconds(), limit, windows.window().toSeconds(), p99Ms, limit, tolerance);
  }
}
