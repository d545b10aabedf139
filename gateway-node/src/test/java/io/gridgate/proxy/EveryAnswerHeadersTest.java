package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every answer of a route passes the same door, so it carries the same headers whoever gives it:
 * a WebSocket handshake the upstream refuses (not 101) gets the route's response headers, its
 * rate-limit headers and CORS; the gateway's own 502, 503 and 504 get CORS and the route's headers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EveryAnswerHeadersTest {
  private static final String ORIGIN = "https://app.example";
  private GatewayFixture gw;
  /** Requests the holding upstream has not answered; answered when the test ends its wait. */
  private final List<Promise<Void>> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    TestUpstream refusesUpgrades = gw.upstream("refuses", TestUpstream.statusHandler(403));
    TestUpstream holding = gw.upstream("holding", request -> {
      Promise<Void> release = Promise.promise();
      held.add(release);
      release.future().onComplete(v -> request.response().end("late"));
    });
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          refuses: {targets: [{address: "%s"}]}
          dead: {targets: [{address: "127.0.0.1:%d"}]}
          holding: {targets: [{address: "%s"}], bulkhead: {max_concurrent: 1}}
        routes:
          - id: ws
            match: {path: {exact: /ws}}
            upstream: refuses
            response_headers: {set: {X-Route: ws}}
            rate_limits:
              - {name: plenty, algorithm: token_bucket, limit: 1000, window: 1h}
            cors: {allow_origins: ["%s"]}
          - id: dead
            match: {path: {prefix: /dead}}
            upstream: dead
            retries: {attempts: 0}
            response_headers: {set: {X-Route: dead}}
            cors: {allow_origins: ["%s"]}
          - id: slow
            match: {path: {prefix: /slow}}
            upstream: holding
            timeouts: {total: 2s}
            response_headers: {set: {X-Route: slow}}
            cors: {allow_origins: ["%s"]}
        """.formatted(refusesUpgrades.address(), GatewayFixture.deadPort(), holding.address(), ORIGIN, ORIGIN, ORIGIN));
  }

  @Test
  void aWebSocketHandshakeTheUpstreamRefusesCarriesTheRoutesHeadersRateLimitsAndCors() {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gw.port())
        .setURI("/ws").addHeader("Origin", ORIGIN);

    Throwable refused = GatewayFixture.await(gw.vertx.createWebSocketClient().connect(options)
        .transform(ar -> Future.succeededFuture(ar.cause())));

    UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, refused);
    assertEquals(403, rejected.getStatus());
    MultiMap headers = rejected.getHeaders();
    assertEquals("ws", headers.get("X-Route"), "route response headers");
    assertEquals("1000", headers.get("RateLimit-Limit"), "rate-limit headers");
    assertEquals("999", headers.get("RateLimit-Remaining"));
    assertEquals(ORIGIN, headers.get("Access-Control-Allow-Origin"), "CORS");
    assertNotNull(headers.get("X-Request-Id"));
  }

  @Test
  void theGateways502CarriesCorsAndTheRoutesHeaders() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/dead/x", Map.of("Origin", ORIGIN), null);

    assertEquals(502, reply.status());
    assertEquals("bad_gateway", reply.json().getString("error"));
    assertEquals(ORIGIN, reply.header("Access-Control-Allow-Origin"));
    assertEquals("dead", reply.header("X-Route"));
  }

  @Test
  void theGateways503And504CarryCors() {
    Future<GatewayFixture.Reply> first = GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.GET, "/slow/1").addHeader("Origin", ORIGIN), request -> request.send(),
        GatewayFixture::reply);
    GatewayFixture.awaitCondition("the first request holds the bulkhead", GatewayFixture.WAIT, () -> held.size() == 1);

    GatewayFixture.Reply full = gw.send(HttpMethod.GET, "/slow/2", Map.of("Origin", ORIGIN), null);
    GatewayFixture.Reply timedOut = GatewayFixture.await(first);
    held.forEach(release -> release.tryComplete());

    assertEquals(503, full.status());
    assertEquals("bulkhead_full", full.json().getString("error"));
    assertEquals(ORIGIN, full.header("Access-Control-Allow-Origin"));
    assertEquals("slow", full.header("X-Route"));
    assertEquals(504, timedOut.status());
    assertEquals("upstream_timeout", timedOut.json().getString("error"));
    assertEquals(ORIGIN, timedOut.header("Access-Control-Allow-Origin"));
  }
}
