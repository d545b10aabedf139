package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.roundRobinSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * (d) Failover: {@code gridgate.rps} (150) new users per second for {@code gridgate.duration}
 * (60 s), alternating between an open route ({@code /open/}) and a route with a cluster limit that
 * is never reached ({@code /quota/}, so the grid is on the path), behind the emulated
 * {@link Balancer}. The simulation knows nothing of the failure: {@code load-tests/run.sh failover}
 * kills a node with SIGKILL mid-run. Verdict: only one node has failed requests, and no more than
 * it had in flight at its peak plus {@code gridgate.failover.slack} (2); assertions: more than
 * {@code gridgate.successPercent} (99) % of requests succeed, and p99 under {@code gridgate.p99Ms}
 * (1000 ms: requests to the limited route may wait for the grid while it re-homes the dead member's
 * buckets).
 */
public class FailoverSimulation extends LoadSimulation {

  public FailoverSimulation() {
    super(new Failover());
  }

  /** The traffic of (d). */
  static final class Failover implements LoadPart {
    private static final String OPEN = "GET /open/ (failover)";
    private static final String QUOTA = "GET /quota/ (failover)";

    private final int rps = Props.positiveInt("gridgate.rps", 150);
    private final Duration duration = Props.seconds("gridgate.duration", 60);
    private final int slack = Props.nonNegativeInt("gridgate.failover.slack", 2);
    private final double successPercent = Props.number("gridgate.successPercent", 99.0);
    private final int p99Ms = Props.positiveInt("gridgate.p99Ms", 1000);
    private final Balancer balancer = new Balancer();
    private final Verdicts verdicts =
        new Verdicts("failover").add("failures bounded by the killed node's in-flight requests", () -> balancer.failure(slack));

    @Override
    public List<PopulationBuilder> populations() {
      return List.of(
        scenario("failover")
          .exec(balancer.pickNode())
          .exec(
              roundRobinSwitch()
                  .on(
                      balancer.send(GatewayTarget.get(OPEN, "/open/")),
                      balancer.send(GatewayTarget.get(QUOTA, "/quota/"))))
          .injectOpen(constantUsersPerSec(rps).during(duration))
          .andThen(verdicts.population(balancer.pickNode())));
    }

    @Override
    public List<Assertion> assertions() {
      List<Assertion> assertions = new ArrayList<>();
      for (String request : List.of(OPEN, QUOTA)) {
        assertions.add(details(request).successfulRequests().percent().gt(successPercent));
        assertions.add(details(request).responseTime().percentile(99.0).lt(p99Ms));
      }
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
          "failover: %d rps for %d s on /open/ and /quota/; assert ok > %.2f%%, p99 < %d ms,"
              + " failures only on one node and at most its peak in flight + %d",
          rps, duration.toSeconds(), successPercent, p99Ms, slack);
    }
  }
}
