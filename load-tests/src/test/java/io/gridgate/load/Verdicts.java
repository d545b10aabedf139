package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Acceptance checks that Gatling assertions cannot express (counts per window, bounds between
 * counters). Gatling 3.13 assertions only count requests, and an exception thrown from
 * {@code after()} fails the run without an HTML report; so each verdict becomes one closing request
 * (a GET of {@code /open/verdict} on a live node) whose check fails with the verdict's message, and
 * an assertion requires that request to succeed. A failed verdict therefore fails the run like any
 * assertion, with its message in the report's error table and on the console.
 */
final class Verdicts {

  private static final String PATH = "/open/verdict";

  private final String part;
  private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();

  /** {@code part} names the verdicts' scenario, e.g. "accuracy". */
  Verdicts(String part) {
    this.part = part;
  }

  /** Adds a verdict: {@code failure} returns what is wrong, or null when the check holds. */
  Verdicts add(String name, Supplier<String> failure) {
    checks.put(name, failure);
    return this;
  }

  /** One user sending one request per verdict, on the node {@code pickNode} chooses. */
  PopulationBuilder population(ChainBuilder pickNode) {
    ScenarioBuilder scenario = scenario("verdicts (" + part + ")").exec(pickNode);
    for (Map.Entry<String, Supplier<String>> check : checks.entrySet()) {
      Supplier<String> failure = check.getValue();
      scenario =
          scenario.exec(
              GatewayTarget.get(requestName(check.getKey()), PATH)
                  .check(
                      status()
                          .validate(
                              "verdict",
                              (status, session) -> {
                                String wrong = failure.get();
                                if (wrong != null) {
                                  throw new IllegalStateException(wrong);
                                }
                                return status;
                              })));
    }
    return scenario.injectOpen(atOnceUsers(1));
  }

  /** An assertion per verdict: its request exists and succeeded. */
  List<Assertion> assertions() {
    List<Assertion> assertions = new ArrayList<>();
    for (String name : checks.keySet()) {
      assertions.add(details(requestName(name)).successfulRequests().percent().is(100.0));
    }
    return assertions;
  }

  private static String requestName(String name) {
    return "verdict: " + name;
  }
}
