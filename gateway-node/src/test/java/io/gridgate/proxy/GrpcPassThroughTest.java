package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.GrpcCalls;
import io.gridgate.testing.GrpcUpstream;
import io.gridgate.testing.LoopbackTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gRPC calls of every kind (unary, server, client and bidi streaming) through the gateway to an
 * upstream with {@code protocol: http2}, from a real gRPC client over h2c and over TLS with ALPN h2.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcPassThroughTest {
  private static final LoopbackTls TLS = LoopbackTls.shared();

  private GatewayFixture gw;
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    gw = new GatewayFixture(vertx);
  }

  private void start(GrpcUpstream upstream, String upstreamExtras) {
    start(GatewayFixture.nodeYaml(), upstream, upstreamExtras);
  }

  /** A gateway with the route {@code grpc} to {@code upstream} ({@code protocol: http2} plus {@code upstreamExtras}). */
  private void start(String nodeYaml, GrpcUpstream upstream, String upstreamExtras) {
    gw.startGateway(nodeYaml + """
        upstreams:
          grpc: {protocol: http2, targets: [{address: "%s"}]%s}
        routes:
          - {id: grpc, match: {path: {prefix: %s}}, upstream: grpc}
        """.formatted(upstream.address(), upstreamExtras, GrpcUpstream.PATH_PREFIX));
  }

  private GrpcCalls h2c() {
    return new GrpcCalls(vertx, gw.port());
  }

  @Test
  void unaryCallOverH2cReachesTheUpstreamOverHttp2WithTeTrailers() {
    GrpcUpstream upstream = GrpcUpstream.start(vertx);
    start(upstream, "");

    GrpcCalls.Result result = h2c().call("Unary", "gridgate");

    assertEquals(GrpcStatus.OK, result.status());
    assertEquals(List.of("hello gridgate"), result.messages());
    assertTrue(result.headers().get("X-Request-Id").matches("[0-9a-f]{32}"));
    GrpcUpstream.Received received = upstream.last();
    assertEquals(HttpVersion.HTTP_2, received.version());
    assertEquals(GrpcUpstream.PATH_PREFIX + "Unary", received.path());
    assertEquals("trailers", received.headers().get("te"));
    assertEquals(result.headers().get("X-Request-Id"), received.headers().get("X-Request-Id"));
  }

  @Test
  void unaryCallOverTlsWithAlpnH2ReachesATlsUpstreamOverH2() {
    GrpcUpstream upstream = GrpcUpstream.start(vertx, TLS.serverOptions());
    start(GatewayFixture.tlsNodeYaml(TLS.listenerYaml()), upstream, ", tls: " + TLS.upstreamYaml());
    GrpcCalls overTls = new GrpcCalls(vertx, gw.port(), TLS.clientOptions());

    GrpcCalls.Result result = overTls.call("Unary", "tls");

    assertEquals(GrpcStatus.OK, result.status());
    assertEquals(List.of("hello tls"), result.messages());
    assertEquals(HttpVersion.HTTP_2, upstream.last().version());
  }

  @Test
  void serverStreamDeliversEveryMessageAndTheTrailersWithTheirMetadata() {
    start(GrpcUpstream.start(vertx), "");

    GrpcCalls.Result result = h2c().call("Count", "5");

    assertEquals(List.of("item-1", "item-2", "item-3", "item-4", "item-5"), result.messages());
    assertEquals(GrpcStatus.OK, result.status());
    assertEquals("0", result.trailers().get("grpc-status"));
    assertEquals("5", result.trailers().get(GrpcUpstream.COUNT_TRAILER));
  }

  @Test
  void clientStreamArrivesWholeBeforeTheSingleAnswer() {
    start(GrpcUpstream.start(vertx), "");

    GrpcCalls.Result result = h2c().call("Concat", "a", "b", "c", "d");

    assertEquals(GrpcStatus.OK, result.status());
    assertEquals(List.of("a+b+c+d"), result.messages());
  }

  @Test
  void bidiStreamInterleavesBothDirections() {
    start(GrpcUpstream.start(vertx), "");

    GrpcCalls.Result result = h2c().chat(List.of("one", "two", "three"));

    assertEquals(GrpcStatus.OK, result.status());
    assertEquals(List.of("echo:one", "echo:two", "echo:three"), result.messages());
  }

  @Test
  void upstreamErrorStatusAndMessagePassThroughUnchanged() {
    start(GrpcUpstream.start(vertx), "");

    GrpcCalls.Result result = h2c().call("Lookup", "clé 100%");

    assertEquals(GrpcStatus.NOT_FOUND, result.status());
    assertEquals("no such key: clé 100%", result.message());
    assertTrue(result.messages().isEmpty());
  }

  @Test
  void callsAreNotRetriedEvenWithARetryBudget() {
    GrpcUpstream upstream = GrpcUpstream.start(vertx);
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          grpc: {protocol: http2, targets: [{address: "%s"}, {address: "%s"}]}
        routes:
          - {id: grpc, match: {path: {prefix: /}}, upstream: grpc, retries: {attempts: 3}}
        """.formatted(upstream.address(), "127.0.0.1:" + GatewayFixture.deadPort()));

    for (int i = 0; i < 4; i++) {
      GrpcCalls.Result result = h2c().call("Unary", "n" + i);
      assertNotNull(result.status());
    }

    // round robin sends half the calls to the dead target: each fails as UNAVAILABLE instead of moving on
    assertEquals(2, upstream.received().size());
  }
}
