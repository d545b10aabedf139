package io.gridgate.upstream;

import static io.gridgate.testing.BreakerThresholdDriver.assertExactly;
import static io.gridgate.testing.BreakerThresholdDriver.assertWithinBound;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.BreakerThresholdDriver;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.upstream.BreakerView.Phase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code scope: local} breakers in front of real failing targets, with retries on: one client
 * sending requests in turn makes exactly the threshold's number of failures reach the upstream
 * (a retry is not sent once the breaker opened), and concurrent clients at most the threshold plus
 * the attempts in flight when it was reached; for both triggers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BreakerThresholdTest {
  private static final int CLIENTS = 6;
  private BreakerThresholdDriver upstreams;
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    upstreams = new BreakerThresholdDriver();
    gw = new GatewayFixture(vertx);
    gw.startGateway(GatewayFixture.nodeYaml() + upstreams.document(", scope: local"));
  }

  @AfterEach
  void tearDown() {
    upstreams.close();
  }

  @Test
  void oneClientMakesExactlyConsecutiveFailuresReachTheUpstream() {
    assertExactly(5, upstreams.sequentialUntilOpen(gw.port(), "/sequential"));
    assertEquals(Phase.OPEN, gw.node().state().pools().get("sequential").breaker().phase());
    assertEquals(0, upstreams.sequentialUntilOpen(gw.port(), "/sequential"), "an open breaker sends nothing");
  }

  @Test
  void concurrentClientsOvershootByAtMostTheAttemptsInFlight() {
    assertWithinBound(5, CLIENTS, upstreams.concurrentUntilOpen(CLIENTS, gw.port(), "/concurrent"));
  }

  @Test
  void theFailureRatioTripsAfterExactlyMinCalls() {
    assertExactly(8, upstreams.sequentialUntilOpen(gw.port(), "/ratio"));
  }
}
