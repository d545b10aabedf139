package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.roundRobinSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.PopulationBuilder;
import java.time.Duration;

/**
 * Traffic before the measured load, so that the nodes' JIT has compiled the proxy path and the
 * cluster-limit path before latencies count: {@code gridgate.warmup} seconds (default 10, 0 for
 * none) at {@code gridgate.warmup.rps} (default 50) on {@code /open/} and {@code /quota/}. Its
 * requests are named "warm-up" and no assertion looks at them.
 */
final class WarmUp {

  private final Duration duration = Duration.ofSeconds(Props.nonNegativeInt("gridgate.warmup", 10));
  private final int rps = Props.positiveInt("gridgate.warmup.rps", 50);

  Duration duration() {
    return duration;
  }

  /** The warm-up population, or null when the warm-up is off. */
  PopulationBuilder population() {
    if (duration.isZero()) {
      return null;
    }
    return scenario("warm-up")
        .exec(GatewayTarget.pickNode())
        .exec(
            roundRobinSwitch()
                .on(GatewayTarget.get("warm-up", "/open/"), GatewayTarget.get("warm-up", "/quota/")))
        .injectOpen(constantUsersPerSec(rps).during(duration));
  }
}
