package io.gridgate.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.PrometheusScrape;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.gridgate.node.GatewayNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data plane's per-request metrics, scraped from a real node: requests by route, method and
 * status class, latency histograms with the gateway's own time kept apart from the upstream's,
 * upstream attempts by target, target health and event-loop delay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestMetricsTest {
  /** 1 s, not 60 ms: the gateway's share of each slow request must stay under half of it on a loaded machine. */
  private static final long UPSTREAM_DELAY_MILLIS = 1_000;
  private GatewayFixture gw;
  private TestUpstream slow;
  private TestUpstream failing;

  @BeforeEach
  void setUp() {
    gw = new GatewayFixture(Vertx.vertx(new VertxOptions().setMetricsOptions(NodeMetrics.options())));
    slow = gw.upstream("slow", request -> gw.vertx.setTimer(UPSTREAM_DELAY_MILLIS,
        t -> request.response().end("slow")));
    failing = gw.upstream("failing", TestUpstream.statusHandler(500));
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml() + """
        upstreams:
          slow: {targets: [{address: "%s"}]}
          failing: {targets: [{address: "%s"}]}
          down:
            targets: [{address: "127.0.0.1:%d"}]
            health_check: {active: {path: /health, interval: 100ms, timeout: 100ms, unhealthy_threshold: 1}}
        routes:
          - {id: slow, match: {path: {prefix: /slow}}, upstream: slow}
          - {id: failing, match: {path: {prefix: /fail}}, upstream: failing}
          - {id: down, match: {path: {prefix: /down}}, upstream: down}
        """.formatted(slow.address(), failing.address(), GatewayFixture.deadPort()));
  }

  @AfterEach
  void tearDown() {
    GatewayFixture.await(gw.vertx.close());
  }

  private PrometheusScrape scrape() {
    GatewayFixture.Reply reply = gw.admin(HttpMethod.GET, "/metrics", null);
    assertEquals(200, reply.status());
    return new PrometheusScrape(reply.bodyString());
  }

  @Test
  void requestsAreCountedByRouteMethodAndStatusClassWithGatewayAndUpstreamTimeApart() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, gw.get("/slow/" + i).status());
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(500, gw.send(HttpMethod.POST, "/fail", Map.of(), "x").status());
    }
    assertEquals(404, gw.get("/nowhere").status());

    PrometheusScrape metrics = scrape();
    String[] slowOk = {"member", "standalone", "route", "slow", "method", "GET", "status_class", "2xx"};
    assertEquals(3, metrics.value("gridgate_requests_total", slowOk));
    assertEquals(2, metrics.value("gridgate_requests_total", "route", "failing", "method", "POST", "status_class", "5xx"));
    assertEquals(1, metrics.value("gridgate_requests_total", "route", "-", "method", "GET", "status_class", "4xx"));

    assertEquals(3, metrics.value("gridgate_request_duration_seconds_count", slowOk));
    assertEquals(0, metrics.value("gridgate_request_duration_seconds_bucket", join(slowOk, "le", "0.05")),
        "no answer can beat the upstream's delay");
    assertEquals(3, metrics.value("gridgate_request_duration_seconds_bucket", join(slowOk, "le", "+Inf")));

    double upstreamSeconds = metrics.value("gridgate_upstream_duration_seconds_sum", "route", "slow", "upstream", "slow");
    double gatewaySeconds = metrics.value("gridgate_gateway_duration_seconds_sum", "route", "slow");
    double totalSeconds = metrics.value("gridgate_request_duration_seconds_sum", slowOk);
    assertEquals(3, metrics.value("gridgate_upstream_duration_seconds_count", "route", "slow", "upstream", "slow"));
    assertTrue(upstreamSeconds >= 3 * UPSTREAM_DELAY_MILLIS / 1000.0, "upstream time " + upstreamSeconds);
    assertEquals(totalSeconds, upstreamSeconds + gatewaySeconds, 1e-6, "the gateway's time is the rest of the total");
    assertTrue(gatewaySeconds < upstreamSeconds / 2, "gateway " + gatewaySeconds + " s vs upstream " + upstreamSeconds);
    assertEquals(1, metrics.value("gridgate_gateway_duration_seconds_count", "route", "-"),
        "an unmatched request is all gateway time");
    assertTrue(metrics.find("gridgate_upstream_duration_seconds_count", "route", "-").isEmpty());

    assertEquals(3, metrics.value("gridgate_upstream_responses_total",
        "upstream", "slow", "target", slow.address(), "status_class", "2xx"));
    assertEquals(2, metrics.value("gridgate_upstream_responses_total",
        "upstream", "failing", "target", failing.address(), "status_class", "5xx"));
    assertTrue(metrics.find("gridgate_event_loop_delay_seconds", "member", "standalone").size() == 1);
  }

  @Test
  void targetHealthFollowsActiveChecksAndFailedAttemptsCountAsErrors() {
    assertEquals(1, scrape().value("gridgate_upstream_target_healthy", "upstream", "slow", "target", slow.address()));
    GatewayFixture.awaitCondition("the dead target is marked unhealthy", GatewayFixture.WAIT,
        () -> scrape().value("gridgate_upstream_target_healthy", "upstream", "down") == 0);

    GatewayFixture.Reply refused = gw.get("/down");
    assertEquals(503, refused.status(), refused.bodyString());
    assertTrue(scrape().find("gridgate_upstream_responses_total", "upstream", "down").isEmpty(),
        "no attempt goes to an unhealthy target");
    assertEquals(1, scrape().value("gridgate_requests_total", "route", "down", "status_class", "5xx"));
  }

  @Test
  void aWebSocketUpgradeIsCountedAsA1xxAnswer() {
    TestUpstream sockets = TestUpstream.start(gw.vertx, "ws", null, TestUpstream.statusHandler(200),
        ws -> ws.textMessageHandler(ws::writeTextMessage));
    GatewayNode wsNode = new GatewayFixture(gw.vertx).startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          ws: {targets: [{address: "%s"}]}
        routes:
          - {id: ws, match: {path: {exact: /ws}}, upstream: ws}
        """.formatted(sockets.address()));
    WebSocketClient client = gw.vertx.createWebSocketClient();
    WebSocket socket = GatewayFixture.await(client.connect(wsNode.httpPort(), "127.0.0.1", "/ws"));
    GatewayFixture.await(socket.writeTextMessage("hi"));
    GatewayFixture.await(socket.close());

    GatewayFixture.awaitCondition("the upgrade is counted", GatewayFixture.WAIT,
        () -> scrape().find("gridgate_requests_total", "route", "ws", "status_class", "1xx").size() == 1);
    assertEquals(1, scrape().value("gridgate_upstream_responses_total", "upstream", "ws", "status_class", "1xx"));
  }

  private static String[] join(String[] labels, String... more) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, all, labels.length, more.length);
    return all;
  }
}
