package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.Closer;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed request body that the client breaks (a malformed chunk) or lets stall is the client's
 * fault: it is answered 400 or 408, and the upstream target it was being streamed to is not counted
 * as failing, so no client can get a healthy target ejected by passive health checks.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientBodyFaultTest {
  private static final int ATTEMPTS = 4;

  @RegisterExtension
  final Closer closer = new Closer();
  private GatewayFixture gw;
  private RecordingUpstream upstream;

  /** Introspection requests wait here until the test lets them through. */
  private final List<Runnable> heldIntrospections = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    upstream = closer.add(RecordingUpstream.start());
    TestUpstream introspection = gw.upstream("idp", request -> heldIntrospections.add(() ->
        request.response().putHeader("Content-Type", "application/json").end("{\"active\": true, \"sub\": \"u\"}")));
    gw.startGateway(GatewayFixture.nodeYaml("client_timeouts: {request_body: 2s}") + """
        upstreams:
          app:
            targets: [{address: "%s"}]
            health_check: {passive: {max_failures: 2, ejection: 1m}}
        oauth2_servers:
          idp: {introspection_url: "http://%s/introspect", client_id: gw, client_secret: s}
        routes:
          - {id: checked, match: {path: {prefix: /checked}}, upstream: app, auth: {oauth2: {server: idp}}}
          - {id: all, match: {path: {prefix: /}}, upstream: app, request_buffering: false}
        """.formatted(upstream.address(), introspection.address()));
  }

  @Test
  void aBodyThatBreaksWhileThePoliciesAreStillCheckingIsAnswered400AndNeverForwarded() throws IOException {
    try (Socket socket = RawHttp.send(gw.port(), "POST /checked HTTP/1.1\r\nHost: gw.test\r\n"
        + "Authorization: Bearer opaque-token\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")) {
      GatewayFixture.awaitCondition("the token being introspected", GatewayFixture.WAIT, () -> !heldIntrospections.isEmpty());
      socket.getOutputStream().write("zz\r\nbroken\r\n".getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response response = RawHttp.read(socket.getInputStream());
      assertEquals(400, response.status());
      assertEquals("bad_request", new JsonObject(response.body()).getString("error"));
    }
    heldIntrospections.forEach(Runnable::run); // the policy answers after the exchange ended: nothing more happens
    assertEquals(200, gw.get("/after").status());
    assertEquals(1, upstream.count(), "only the request after reached the upstream");
  }

  @Test
  void malformedChunksAreAnswered400AndDoNotEjectTheTarget() throws IOException {
    for (int i = 0; i < ATTEMPTS; i++) {
      try (Socket socket = RawHttp.send(gw.port(), "POST /upload HTTP/1.1\r\nHost: gw.test\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")) {
        int attempt = i + 1; // a reset upstream request closes its connection: each attempt opens one
        GatewayFixture.awaitCondition("the body streaming upstream on attempt " + attempt, GatewayFixture.WAIT,
            () -> upstream.connectionsAccepted() >= attempt);
        socket.getOutputStream().write("zz\r\nbroken\r\n".getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Response response = RawHttp.read(socket.getInputStream());
        assertEquals(400, response.status());
        assertEquals("bad_request", new JsonObject(response.body()).getString("error"));
      }
    }
    assertEquals(200, gw.get("/after").status(), "the target was not ejected for the clients' broken bodies");
  }

  @Test
  void stalledBodiesAreAnswered408AndDoNotEjectTheTarget() throws IOException {
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < ATTEMPTS; i++) {
      stalled.add(closer.add(RawHttp.send(gw.port(), "POST /upload HTTP/1.1\r\nHost: gw.test\r\n"
          + "Content-Length: 100000\r\n\r\n0123456789")));
    }
    for (Socket socket : stalled) {
      InputStream in = socket.getInputStream();
      assertEquals(408, RawHttp.read(in).status());
    }
    assertEquals(200, gw.get("/after").status(), "the target was not ejected for the clients' stalled bodies");
  }
}
