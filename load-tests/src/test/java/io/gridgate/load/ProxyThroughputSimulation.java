package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;
import java.util.List;

/**
 * (a) Proxy throughput and latency on an open route: an open workload of {@code gridgate.rps} (50)
 * new users per second for {@code gridgate.duration} (60 s), each doing one GET of
 * {@code gridgate.path} ({@code /open/}) on the next node. Asserts that more than
 * {@code gridgate.successPercent} (99) % get 200 or 204 and that p99 is under {@code gridgate.p99Ms}
 * (500 ms).
 */
public class ProxyThroughputSimulation extends LoadSimulation {

  public ProxyThroughputSimulation() {
    super(new Throughput());
  }

  /** The open-route traffic of (a). */
  static final class Throughput implements LoadPart {
    private final int rps = Props.positiveInt("gridgate.rps", 50);
    private final Duration duration = Props.seconds("gridgate.duration", 60);
    private final String path = System.getProperty("gridgate.path", "/open/");
    private final double successPercent = Props.number("gridgate.successPercent", 99.0);
    private final int p99Ms = Props.positiveInt("gridgate.p99Ms", 500);
    private final String request = "GET " + path;

    @Override
    public List<PopulationBuilder> populations() {
      return List.of(
        scenario("proxy " + path)
          .exec(GatewayTarget.pickNode())
          .exec(GatewayTarget.get(request, path).check(status().in(200, 204)))
          .injectOpen(constantUsersPerSec(rps).during(duration)));
    }

    @Override
    public List<Assertion> assertions() {
      return List.of(
          details(request).successfulRequests().percent().gt(successPercent),
          details(request).responseTime().percentile(99.0).lt(p99Ms));
    }

    @Override
    public Duration duration() {
      return duration;
    }

    @Override
    public String describe() {
      return String.format(
          "throughput: %d rps on %s for %d s; assert ok > %.2f%%, p99 < %d ms",
          rps, path, duration.toSeconds(), successPercent, p99Ms);
    }
  }
}
