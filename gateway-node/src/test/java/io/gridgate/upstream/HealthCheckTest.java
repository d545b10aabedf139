package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Passive ejection after consecutive 5xx, active /health probes taking targets out and back, and 503 when none is left. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthCheckTest {
  /** A probe times out after 2 s, not less: a healthy target answering late on a loaded machine stays in. */
  private static final String ACTIVE =
      "active: {path: /health, interval: 100ms, timeout: 2s, healthy_threshold: 2, unhealthy_threshold: 2}";

  /** The node's clock: ejections end only when a test moves it. */
  private final ManualClock clock = new ManualClock();
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx).withClock(clock);
  }

  private TestUpstream probed(String name, int status) {
    return TestUpstream.start(gw.vertx, name, "/health", TestUpstream.statusHandler(status), null);
  }

  private void startPool(String healthCheck, String... addresses) {
    StringBuilder targets = new StringBuilder();
    for (String a : addresses) {
      targets.append(targets.length() == 0 ? "" : ", ").append("{address: \"").append(a).append("\"}");
    }
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app:
            targets: [%s]
            health_check: {%s}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app, retries: {attempts: 0}}
        """.formatted(targets, healthCheck));
  }

  private int[] statuses(int requests) {
    int[] out = new int[requests];
    for (int i = 0; i < requests; i++) {
      out[i] = gw.get("/r" + i).status();
    }
    return out;
  }

  @Test
  void consecutive5xxEjectTheTargetForTheEjectionTimeThenItGetsTrafficAgain() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(500));
    TestUpstream healthy = gw.echoUpstream("healthy");
    startPool("passive: {max_failures: 2, ejection: 3s, max_ejection: 10s}", failing.address(), healthy.address());
    Target failingTarget = gw.target("app", failing);

    // Round robin: failing, healthy, failing (second failure in a row: ejected), then healthy only.
    int[] seen = statuses(9);

    assertEquals(2, failing.requests());
    assertEquals(7, healthy.requests());
    assertEquals(500, seen[0]);
    assertEquals(500, seen[2]);
    for (int i = 3; i < 9; i++) {
      assertEquals(200, seen[i], "request " + i + " after the ejection");
    }
    assertTrue(failingTarget.isEjected(clock.nanos()));

    clock.advanceMillis(2_999);
    statuses(2);
    assertEquals(2, failing.requests(), "still ejected one ms before the ejection time is over");
    assertEquals(9, healthy.requests());

    clock.advanceMillis(1);
    assertFalse(failingTarget.isEjected(clock.nanos()), "ejection ends");
    statuses(2);

    assertEquals(3, failing.requests(), "back in rotation after the ejection");
  }

  @Test
  void successesInBetweenResetTheFailureCount() {
    AtomicInteger answered = new AtomicInteger();
    TestUpstream sometimes = gw.upstream("sometimes", request ->
        request.response().setStatusCode(answered.getAndIncrement() % 2 == 0 ? 500 : 200).end());
    startPool("passive: {max_failures: 2, ejection: 10s}", sometimes.address());

    int[] seen = statuses(8);

    assertEquals(8, sometimes.requests(), "500, 200, 500, 200... never two failures in a row");
    assertEquals(500, seen[6]);
    assertEquals(200, seen[7]);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void clientsDisconnectingBeforeTheAnswerDoNotEjectTheTarget() throws IOException {
    // aborted requests are never answered, so each is surely abandoned while the target works on it
    TestUpstream slow = gw.upstream("slow", request -> {
      if (!request.path().startsWith("/abandoned")) {
        gw.vertx.setTimer(1000, t -> request.response().end("late"));
      }
    });
    startPool("passive: {max_failures: 2, ejection: 30s}", slow.address());
    Target slowTarget = gw.target("app", slow);

    // More aborted requests than max_failures, each abandoned while the target is still working on it.
    for (int i = 0; i < 3; i++) {
      Socket socket = RawHttp.send(gw.port(), "GET /abandoned" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
      int sent = i + 1;
      GatewayFixture.awaitCondition("the target is working on request " + i, GatewayFixture.WAIT,
          () -> slow.requests() == sent);
      socket.close();
      // The gateway gives up the upstream exchange (on its event loop, before it reads the next request).
      GatewayFixture.awaitCondition("aborted exchange " + i + " released", GatewayFixture.WAIT,
          () -> slowTarget.inFlight() == 0);
    }

    GatewayFixture.Reply reply = gw.get("/after");

    assertEquals(200, reply.status(), "a client going away is not the target's failure: " + reply.bodyString());
    assertFalse(slowTarget.isEjected(clock.nanos()));
    assertEquals("slow", reply.servedBy());
    assertEquals(4, slow.requests(), "every aborted request had reached the target");
  }

  @Test
  void activeChecksTakeAFailingTargetOutAfterUnhealthyThresholdAndBackAfterHealthyThreshold() {
    TestUpstream flaky = probed("flaky", 200);
    TestUpstream steady = probed("steady", 200);
    startPool(ACTIVE, flaky.address(), steady.address());
    Target flakyTarget = gw.target("app", flaky);
    GatewayFixture.awaitCondition("first probes", GatewayFixture.WAIT, () -> flaky.probes() >= 2);
    statuses(4);
    assertEquals(2, flaky.requests(), "healthy targets share traffic");

    int probesBeforeFailing = flaky.probes();
    long failingSince = System.nanoTime();
    flaky.healthStatus(500);
    GatewayFixture.awaitCondition("flaky marked unhealthy", GatewayFixture.WAIT, () -> !flakyTarget.isActiveHealthy());
    long tookMillis = (System.nanoTime() - failingSince) / 1_000_000;

    assertTrue(flaky.probes() - probesBeforeFailing >= 2, "needs unhealthy_threshold (2) failed probes");
    assertTrue(tookMillis >= 90, "two probes are at least one interval apart, took " + tookMillis + " ms");
    int flakyBefore = flaky.requests();
    statuses(6);
    assertEquals(flakyBefore, flaky.requests(), "an unhealthy target gets no traffic");

    int probesBeforeRecovering = flaky.probes();
    flaky.healthStatus(200);
    GatewayFixture.awaitCondition("flaky healthy again", GatewayFixture.WAIT, flakyTarget::isActiveHealthy);

    assertTrue(flaky.probes() - probesBeforeRecovering >= 2, "needs healthy_threshold (2) good probes");
    statuses(6);
    assertEquals(flakyBefore + 3, flaky.requests(), "back in round robin");
  }

  @Test
  void activeChecksFindAnUnreachableTargetBeforeClientsDo() {
    TestUpstream live = probed("live", 200);
    String dead = "127.0.0.1:" + GatewayFixture.deadPort();
    startPool(ACTIVE + ", passive: {max_failures: 0}", dead, live.address());
    Target deadTarget = gw.node().state().pools().get("app").targets().get(0);

    GatewayFixture.awaitCondition("dead target unhealthy", GatewayFixture.WAIT, () -> !deadTarget.isActiveHealthy());
    int[] seen = statuses(6);

    for (int status : seen) {
      assertEquals(200, status);
    }
    assertEquals(6, live.requests());
  }

  @Test
  void allTargetsEjectedIs503NoHealthyUpstream() {
    TestUpstream a = gw.upstream("a", TestUpstream.statusHandler(500));
    TestUpstream b = gw.upstream("b", TestUpstream.statusHandler(500));
    startPool("passive: {max_failures: 1, ejection: 10s}", a.address(), b.address());

    assertEquals(500, gw.get("/1").status());
    assertEquals(500, gw.get("/2").status());
    GatewayFixture.Reply reply = gw.get("/3");

    assertEquals(503, reply.status());
    JsonObject body = reply.json();
    assertEquals("no_healthy_upstream", body.getString("error"));
    assertTrue(body.getString("message").contains("app"), body.getString("message"));
    assertEquals(reply.header("X-Request-Id"), body.getString("request_id"));
    assertEquals(1, a.requests());
    assertEquals(1, b.requests());
  }

  @Test
  void allTargetsFailingActiveChecksIs503NoHealthyUpstream() {
    TestUpstream a = probed("a", 200);
    TestUpstream b = probed("b", 200);
    a.healthStatus(503);
    b.healthStatus(503);
    startPool(ACTIVE, a.address(), b.address());

    GatewayFixture.awaitCondition("both unhealthy", GatewayFixture.WAIT,
        () -> !gw.target("app", a).isActiveHealthy() && !gw.target("app", b).isActiveHealthy());
    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(503, reply.status());
    assertEquals("no_healthy_upstream", reply.json().getString("error"));
    assertEquals(0, a.requests() + b.requests());
    assertFalse(gw.target("app", a).isEjected(clock.nanos()), "taken out by the active check, not ejected");
  }
}
