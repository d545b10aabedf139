package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.GrpcUpstream;
import io.gridgate.testing.LoopbackTls;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upstreams with {@code protocol: http2} for plain HTTP traffic: requests multiplexed on one
 * connection, active health probes over h2c and over h2 by ALPN, WebSocket upgrades refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2UpstreamTest {
  private static final LoopbackTls TLS = LoopbackTls.shared();
  /** 1 s, not 200 ms: 8 overlapping answers take about 1 s, 8 in turn 8 s, with room for a loaded machine between. */
  private static final long SLOW_ANSWER_MILLIS = 1_000;

  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  private void start(String address, String upstreamExtras) {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          h2: {protocol: http2, targets: [{address: "%s"}]%s}
        routes:
          - {id: h2, match: {path: {prefix: /}}, upstream: h2}
        """.formatted(address, upstreamExtras));
  }

  @Test
  void concurrentHttp11RequestsShareOneHttp2ConnectionToTheTarget() {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    TestUpstream app = gw.upstream("app", request -> {
      clientPorts.add(request.remoteAddress().port());
      gw.vertx.setTimer(SLOW_ANSWER_MILLIS, t -> request.response().end("late"));
    });
    start(app.address(), ", pool: {max_connections: 1}");

    List<Future<GatewayFixture.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      replies.add(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/n/" + i),
          request -> request.send(), GatewayFixture::reply));
    }
    long start = System.nanoTime();
    GatewayFixture.await(Future.all(replies));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(200, reply.result().status());
      assertEquals("late", reply.result().bodyString());
    }
    assertTrue(app.received().stream().allMatch(r -> r.version() == HttpVersion.HTTP_2), app.received().toString());
    assertEquals(1, clientPorts.size(), "one connection");
    assertTrue(millis < 8 * SLOW_ANSWER_MILLIS, "the 8 slow answers overlapped on that connection: " + millis + " ms");
  }

  @Test
  void largeResponseHeadersFromAnHttp2UpstreamAreAcceptedAsOverHttp11() {
    String large = "v".repeat(20_000);
    TestUpstream app = gw.upstream("app", request -> request.response().putHeader("X-Large", large).end("ok"));
    start(app.address(), "");

    GatewayFixture.Reply reply = gw.get("/large");

    assertEquals(200, reply.status());
    assertEquals(large, reply.header("X-Large"));
  }

  @Test
  void aFixedHostHeaderBecomesTheHttp2Authority() {
    List<String> authorities = new CopyOnWriteArrayList<>();
    TestUpstream app = gw.upstream("app", request -> {
      authorities.add(request.authority() + ", Host headers: " + request.headers().getAll("host"));
      request.response().end();
    });
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          h2: {protocol: http2, targets: [{address: "%s"}]}
        routes:
          - {id: h2, match: {path: {prefix: /}}, upstream: h2, host_header: "api.internal:8443"}
        """.formatted(app.address()));

    GatewayFixture.Reply reply = gw.get("/fixed");
    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals(List.of("api.internal:8443, Host headers: []"), authorities, "the target resets a stream with both");
  }

  @Test
  void activeHealthProbesUseH2c() {
    GrpcUpstream upstream = GrpcUpstream.start(gw.vertx);
    start(upstream.address(), ", health_check: {active: {path: /health, interval: 100ms, unhealthy_threshold: 1}}");

    GatewayFixture.awaitCondition("three probes", Duration.ofSeconds(30), () -> upstream.probes().size() >= 3);
    assertTrue(upstream.probes().stream().allMatch(v -> v == HttpVersion.HTTP_2), upstream.probes().toString());
    assertTrue(gw.node().state().pools().get("h2").targets().get(0).isActiveHealthy());
  }

  @Test
  void activeHealthProbesUseH2ByAlpnOverTls() {
    GrpcUpstream upstream = GrpcUpstream.start(gw.vertx, TLS.serverOptions());
    start(upstream.address(), ", tls: " + TLS.upstreamYaml() + ", health_check: {active: {path: /health, interval: 100ms}}");

    GatewayFixture.awaitCondition("three probes", Duration.ofSeconds(30), () -> upstream.probes().size() >= 3);
    assertTrue(upstream.probes().stream().allMatch(v -> v == HttpVersion.HTTP_2), upstream.probes().toString());
  }

  @Test
  void webSocketUpgradeToAnHttp2UpstreamIsRefusedWith501() {
    TestUpstream app = gw.echoUpstream("app");
    start(app.address(), "");

    RawHttp.Response response = gw.raw("GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

    assertEquals(501, response.status());
    assertTrue(response.body().contains("websocket_not_supported"), response.body());
    assertEquals(0, app.requests());
  }
}
