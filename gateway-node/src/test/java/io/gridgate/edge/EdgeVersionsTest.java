package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP versions in an HTTP/1 request line (HTTP/1.2 to 1.9 served as HTTP/1.1, anything else but
 * exactly HTTP/1.0 or HTTP/1.1 refused with 400 instead of Vert.x's 501) and the end of a connection
 * after an answer saying {@code Connection: close}. Both hold on any Vert.x, guarded or not.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeVersionsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final RecordingUpstream upstream = RecordingUpstream.start();
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: denied, match: {path: {prefix: /denied}}, upstream: app, ip_rules: {deny: [127.0.0.0/8]}}
          - {id: keyed, match: {path: {prefix: /keyed}}, upstream: app, auth: {api_key: {}}}
          - {id: open, match: {path: {prefix: /}}, upstream: app}
        """.formatted(upstream.address()));
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.2", "HTTP/1.5", "HTTP/1.9"})
  void aLaterHttp1MinorVersionIsServedAsHttp11(String version) throws IOException {
    try (Socket socket = RawHttp.send(gw.port(), "GET /v HTTP/x\r\nHost: gw\r\n\r\n".replace("HTTP/x", version))) {
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());

      assertEquals(200, answer.status());
      assertEquals("/v", upstream.last().target());
      socket.getOutputStream().write("GET /again HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes());
      assertEquals(200, RawHttp.read(socket.getInputStream()).status(), "kept alive as HTTP/1.1");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http/1.1", "Http/1.0", "HTTP/2.0", "HTTP/3.0", "HTTP/1.10", "HTTP/0.9", "HTTP/1", "FOO/1.1", "1.1"})
  void anyOtherVersionIsRefusedWith400AndTheConnectionClosed(String version) throws IOException {
    try (Socket socket = RawHttp.send(gw.port(), "GET /v " + version + "\r\nHost: gw\r\n\r\n")) {
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());

      assertEquals(400, answer.status());
      assertEquals("bad_request", new JsonObject(answer.body()).getString("error"));
      assertEquals("close", answer.header("Connection"));
      GuardedGateway.awaitEnd(socket, BOUND);
      assertEquals(0, upstream.count());
    }
  }

  @Test
  void anEarlyRefusalSayingConnectionCloseEndsTheConnection() throws IOException {
    try (Socket socket = RawHttp.send(gw.port(), "POST /denied HTTP/1.1\r\nHost: gw\r\nContent-Length: 10\r\n\r\n")) {
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());

      assertEquals(403, answer.status());
      assertEquals("close", answer.header("Connection"));
      GuardedGateway.awaitEnd(socket, BOUND);
      assertEquals(0, upstream.count());
    }
  }

  @Test
  void aClientStillSendingTheRefusedBodyCanFinishAndReadTheAnswer() throws IOException {
    int size = 16 * 1024 * 1024; // far more than socket buffers hold: the gateway must keep reading to let it through
    try (Socket socket = RawHttp.send(gw.port(), "PUT /keyed/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: " + size + "\r\n\r\n")) {
      OutputStream out = socket.getOutputStream();
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < size; sent += chunk.length) {
        out.write(chunk); // a reset here would mean the gateway closed without draining
      }
      RawHttp.Response answer = RawHttp.read(socket.getInputStream());

      assertEquals(401, answer.status());
      assertEquals("close", answer.header("Connection"));
      assertEquals(-1, socket.getInputStream().read(), "an end of stream, not a reset");
      assertEquals(0, upstream.count());
    }
  }

  @Test
  void anAnswerWithoutConnectionCloseKeepsTheConnection() throws IOException {
    try (Socket socket = RawHttp.send(gw.port(), "GET /denied HTTP/1.1\r\nHost: gw\r\n\r\n")) {
      assertEquals(403, RawHttp.read(socket.getInputStream()).status());
      socket.getOutputStream().write("GET /open HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes());
      assertEquals(200, RawHttp.read(socket.getInputStream()).status());
      assertTrue(upstream.count() == 1);
    }
  }
}
