package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.GrpcCalls;
import io.gridgate.testing.GrpcUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own errors for gRPC calls arrive as gRPC statuses (HTTP 200, trailers-only), which
 * a real gRPC client reads as such, while the access log keeps the HTTP status of the refusal.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcGatewayErrorsTest {
  @TempDir
  Path dir;
  private GatewayFixture gw;
  private GrpcUpstream upstream;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    upstream = GrpcUpstream.start(vertx);
  }

  /** A gateway whose route {@code grpc} (with {@code routeExtras}) leads to an http2 upstream over {@code target}. */
  private GrpcCalls start(String target, String routeExtras, String... nodeLines) {
    gw.startGateway(GatewayFixture.nodeYaml(nodeLines) + """
        upstreams:
          grpc: {protocol: http2, targets: [{address: "%s"}]}
        routes:
          - {id: grpc, match: {path: {prefix: %s}}, upstream: grpc%s}
        """.formatted(target, GrpcUpstream.PATH_PREFIX, routeExtras));
    return new GrpcCalls(gw.vertx, gw.port());
  }

  private static void assertStatus(GrpcStatus expected, GrpcCalls.Result result) {
    assertEquals(expected, result.status(), result.message());
    assertTrue(result.messages().isEmpty());
    assertTrue(result.headers().get("X-Request-Id").matches("[0-9a-f]{32}"), result.headers().toString());
  }

  @Test
  void noRouteIsATrailersOnlyUnimplementedAnswerLoggedAs404() {
    Path log = dir.resolve("access.log");
    start(upstream.address(), "", "access_log: {enabled: true, output: \"" + log + "\"}");
    HttpClient h2c = gw.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));

    GatewayFixture.Reply reply = GatewayFixture.send(h2c, new RequestOptions().setMethod(HttpMethod.POST)
            .setHost("127.0.0.1").setPort(gw.port()).setURI("/other.Service/Call")
            .putHeader("content-type", "application/grpc+proto").putHeader("te", "trailers"),
        Buffer.buffer(new byte[] {0, 0, 0, 0, 0}));

    assertEquals(200, reply.status());
    assertEquals("application/grpc", reply.header("content-type"));
    assertEquals("12", reply.header("grpc-status"));
    assertEquals("no route matches POST /other.Service/Call", reply.header("grpc-message"));
    assertTrue(reply.header("X-Request-Id").matches("[0-9a-f]{32}"));
    assertEquals(0, reply.body().length());
    JsonObject line = GatewayFixture.awaitJsonLines(log, 1).get(0);
    assertEquals(404, line.getInteger("status"));
    assertEquals(reply.header("X-Request-Id"), line.getString("request_id"));
  }

  @Test
  void aCallWithoutRouteIsUnimplementedForTheGrpcClient() {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          grpc: {protocol: http2, targets: [{address: "%s"}]}
        routes:
          - {id: grpc, match: {path: {prefix: /other.Service/}}, upstream: grpc}
        """.formatted(upstream.address()));

    assertStatus(GrpcStatus.UNIMPLEMENTED, new GrpcCalls(gw.vertx, gw.port()).call("Unary", "x"));
    assertTrue(upstream.received().isEmpty());
  }

  @Test
  void deadUpstreamIsUnavailable() {
    GrpcCalls.Result result = start("127.0.0.1:" + GatewayFixture.deadPort(), "").call("Unary", "x");

    assertStatus(GrpcStatus.UNAVAILABLE, result);
    assertEquals("upstream 'grpc' could not be reached", result.message(), "never the target's address");
  }

  @Test
  void exceededRateLimitIsResourceExhausted() {
    GrpcCalls calls = start(upstream.address(),
        ", rate_limits: [{name: calls, algorithm: fixed_window, limit: 1, window: 1h}]");

    assertEquals(GrpcStatus.OK, calls.call("Unary", "first").status());
    GrpcCalls.Result second = calls.call("Unary", "second");

    assertStatus(GrpcStatus.RESOURCE_EXHAUSTED, second);
    assertEquals("rate limit 'grpc.calls' exceeded", second.message());
    assertEquals(1, upstream.received().size());
  }

  @Test
  void routeTimeoutIsDeadlineExceeded() {
    GrpcCalls.Result result = start(upstream.address(), ", timeouts: {total: 300ms}").call("Hang", "x");

    assertStatus(GrpcStatus.DEADLINE_EXCEEDED, result);
    assertEquals(1, upstream.received().size());
  }

  @Test
  void missingApiKeyIsUnauthenticated() {
    GrpcCalls.Result result = start(upstream.address(), ", auth: {api_key: {header: X-Api-Key}}").call("Unary", "x");

    assertStatus(GrpcStatus.UNAUTHENTICATED, result);
    assertTrue(upstream.received().isEmpty());
  }

  @Test
  void requestStreamPastTheBodyLimitIsResourceExhausted() {
    GrpcCalls.Result result = start(upstream.address(), "", "limits: {max_body_size: 64}")
        .call("Concat", "a".repeat(40), "b".repeat(40));

    assertStatus(GrpcStatus.RESOURCE_EXHAUSTED, result);
  }
}
