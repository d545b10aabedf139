package io.gridgate.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link GatewayNode#drainAndStop()}: in-flight exchanges finish, new connections are refused and the
 * node is gone once drained. The gateway runs on its own Vert.x, which draining closes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@io.vertx.junit5.Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class GracefulDrainTest {
  private GatewayFixture gw;
  private Vertx gatewayVertx;
  private TestUpstream slow;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    gatewayVertx = Vertx.vertx();
  }

  @AfterEach
  void closeGatewayVertx() {
    GatewayFixture.await(gatewayVertx.close());
  }

  /**
   * How long the slow upstream takes for an exchange that must still be in flight after the drain
   * started: 3 s, not 1 s, so the listener's close and the checks fit in it on a loaded machine.
   */
  private static final long SLOW_ANSWER_MILLIS = 3_000;

  /** An upstream answering {@code "slow done"} {@code delayMillis} after each request. */
  private void startSlowUpstreamAndGateway(long delayMillis, String drainTimeout) {
    slow = gw.upstream("slow", request ->
        gw.vertx.setTimer(delayMillis, t -> request.response().end("slow done")));
    gw.startGateway(gatewayVertx, GatewayFixture.nodeYaml("drain_timeout: " + drainTimeout) + """
        upstreams:
          slow: {targets: [{address: "%s"}]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: slow}
        """.formatted(slow.address()));
  }

  private Future<GatewayFixture.Reply> startInFlightRequest() {
    Future<GatewayFixture.Reply> inFlight = GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.GET, "/slow"),
        request -> request.send(), GatewayFixture::reply);
    GatewayFixture.awaitCondition("upstream got the request", GatewayFixture.WAIT, () -> slow.requests() == 1);
    return inFlight;
  }

  private boolean refusesConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return false;
    } catch (IOException refused) {
      return true;
    }
  }

  @Test
  void inFlightRequestCompletesWhileNewConnectionsAreRefused() {
    startSlowUpstreamAndGateway(SLOW_ANSWER_MILLIS, "10s");
    GatewayNode node = gw.node();
    int port = gw.port();
    Future<GatewayFixture.Reply> inFlight = startInFlightRequest();

    long drainStart = System.nanoTime();
    Future<Void> drained = node.drainAndStop();
    GatewayFixture.awaitCondition("listener closed", GatewayFixture.WAIT, () -> refusesConnections(port));
    assertFalse(inFlight.isComplete(), "the upstream has not answered yet");

    GatewayFixture.Reply reply = GatewayFixture.await(inFlight);
    assertEquals(200, reply.status());
    assertEquals("slow done", reply.bodyString());

    GatewayFixture.await(drained);
    long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
    assertTrue(drainMillis < 8000, "drained as soon as the exchange ended (not at the 10 s drain timeout), took " + drainMillis + " ms");
    assertTrue(refusesConnections(port));
  }

  @Test
  void readinessTurnsDrainingWhileInFlightRequestsFinish(VertxTestContext ctx) {
    startSlowUpstreamAndGateway(SLOW_ANSWER_MILLIS, "10s");
    GatewayNode node = gw.node();
    RequestOptions ready = new RequestOptions().setURI("/ready").setHost("127.0.0.1").setPort(node.adminPort());
    assertEquals(200, GatewayFixture.send(gw.client(), ready, null).status());
    Future<GatewayFixture.Reply> inFlight = startInFlightRequest();

    node.drainAndStop();
    GatewayFixture.Reply readiness = GatewayFixture.send(gw.client(), ready, null);

    ctx.verify(() -> {
      assertEquals(503, readiness.status());
      assertEquals("DOWN", readiness.json().getString("status"));
      assertEquals("DRAINING", readiness.json().getJsonArray("checks").getJsonObject(0).getJsonObject("data").getString("status"));
    });
    inFlight.onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      assertEquals(200, reply.status());
      ctx.completeNow();
    })));
  }

  @Test
  void drainTimeoutBoundsTheWaitForAnExchangeThatDoesNotFinish() {
    startSlowUpstreamAndGateway(8000, "500ms");
    GatewayNode node = gw.node();
    Future<GatewayFixture.Reply> inFlight = startInFlightRequest();

    long drainStart = System.nanoTime();
    GatewayFixture.await(node.drainAndStop());
    long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;

    // under 7 s, before the upstream's answer at 8 s: stopped by the drain timeout, however loaded the machine
    assertTrue(drainMillis >= 400 && drainMillis < 7000, "stopped after the drain timeout, took " + drainMillis + " ms");
    AsyncResult<GatewayFixture.Reply> outcome = GatewayFixture.await(inFlight.transform(Future::succeededFuture));
    assertTrue(outcome.failed(), "the unfinished exchange is cut when the node stops, got " + outcome.result());
  }
}
