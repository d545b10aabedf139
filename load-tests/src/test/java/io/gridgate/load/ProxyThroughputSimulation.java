package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * Baseline proxy throughput: an open workload of {@code gridgate.rps} new users per second, each
 * doing one GET of {@code gridgate.path} on a node picked round-robin from {@code gridgate.urls}.
 *
 * <p>System properties (all optional):
 *
 * <ul>
 *   <li>{@code gridgate.urls} – comma-separated node base URLs (default http://127.0.0.1:8080)
 *   <li>{@code gridgate.rps} – arrival rate, users (= requests) per second (default 50)
 *   <li>{@code gridgate.duration} – injection duration in seconds (default 30)
 *   <li>{@code gridgate.path} – request path (default /api/hello)
 *   <li>{@code gridgate.successPercent} – minimum share of OK requests, exclusive (default 99)
 *   <li>{@code gridgate.p99Ms} – p99 response time upper bound in ms, exclusive (default 500)
 *   <li>{@code gridgate.requestTimeoutMs} – per-request timeout in ms; a request without a response
 *       by then counts as KO (default 10000)
 *   <li>{@code gridgate.graceSeconds} – extra time after injection before the run is cut (default
 *       30, keep it above the request timeout so late requests end as KO rather than being cut)
 * </ul>
 *
 * The run is bounded: exactly rps × duration users are injected and {@code maxDuration} stops the
 * simulation at duration + grace seconds even if requests hang.
 */
public class ProxyThroughputSimulation extends Simulation {

  private final int rps = GatewayTarget.intProp("gridgate.rps", 50);
  private final int durationSeconds = GatewayTarget.intProp("gridgate.duration", 30);
  private final String path = System.getProperty("gridgate.path", "/api/hello");
  private final double successPercent =
      GatewayTarget.doubleProp("gridgate.successPercent", 99.0);
  private final int p99Ms = GatewayTarget.intProp("gridgate.p99Ms", 500);
  private final int requestTimeoutMs = GatewayTarget.intProp("gridgate.requestTimeoutMs", 10_000);
  private final int graceSeconds = GatewayTarget.intProp("gridgate.graceSeconds", 30);

  private final HttpProtocolBuilder httpProtocol =
      http
          // no warm-up request to gatling.io: the test machine only reaches the gateway
          .disableWarmUp()
          .disableCaching()
          .acceptHeader("*/*")
          .userAgentHeader("gridgate-load-tests/gatling");

  private final ScenarioBuilder proxy =
      scenario("proxy " + path)
          .feed(GatewayTarget.feeder())
          .exec(
              http("GET " + path)
                  .get(GatewayTarget.url(path))
                  .requestTimeout(Duration.ofMillis(requestTimeoutMs))
                  .check(status().in(200, 204)));

  {
    System.out.printf(
        "ProxyThroughputSimulation: %d rps for %d s on %s -> [%s]; assert ok > %.2f%%, p99 < %d ms%n",
        rps, durationSeconds, path, GatewayTarget.describe(), successPercent, p99Ms);

    setUp(proxy.injectOpen(constantUsersPerSec(rps).during(Duration.ofSeconds(durationSeconds))))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofSeconds((long) durationSeconds + graceSeconds))
        .assertions(
            global().successfulRequests().percent().gt(successPercent),
            global().responseTime().percentile(99.0).lt(p99Ms));
  }
}
