package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/1.1 client timeouts on a node built like production ({@link GuardedGateway}): a request head
 * must be complete within {@code request_header} (2 s here), an idle keep-alive connection is closed
 * after {@code keep_alive} (4 s: the client sees its answer late on a loaded machine, yet measures
 * at least 2.5 s of idleness), and neither cuts a request that is waiting for its answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeTimeoutsTest {
  private static final Duration BOUND = Duration.ofSeconds(15);
  private static final String GET = "GET /api/x HTTP/1.1\r\nHost: gw\r\n\r\n";

  private TestUpstream app;
  private GuardedGateway gateway;

  @BeforeEach
  void setUp(Vertx vertx) {
    GatewayFixture fixture = new GatewayFixture(vertx);
    app = fixture.upstream("app", request -> {
      long delay = request.path().equals("/api/slow") ? 5_000 : 1;
      vertx.setTimer(delay, t -> request.response().end("ok"));
    });
    gateway = GuardedGateway.start(fixture,
        GuardedGateway.apiConfig(GatewayFixture.nodeYaml("client_timeouts: {request_header: 2s, keep_alive: 4s}"), app));
  }

  @AfterEach
  void tearDown() {
    gateway.close();
  }

  @Test
  void aSilentConnectionIsClosedAfterRequestHeader() throws IOException {
    try (Socket socket = gateway.connect()) {
      Duration open = GuardedGateway.awaitEnd(socket, BOUND);

      assertTrue(open.toMillis() >= 1_500, "closed after " + open);
    }
  }

  @Test
  void aHeadDribbledByteByByteIsClosedAfterRequestHeaderThoughBytesKeepComing() throws Exception {
    try (Socket socket = gateway.connect()) {
      AtomicInteger sent = new AtomicInteger();
      Thread dribbler = new Thread(() -> dribble(socket, sent), "slowloris");
      dribbler.start();

      Duration open = GuardedGateway.awaitEnd(socket, BOUND);

      dribbler.join(BOUND.toMillis());
      assertTrue(open.toMillis() >= 1_500, "closed after " + open);
      assertTrue(sent.get() >= 8, "the head kept coming until the end: " + sent + " bytes");
      assertEquals(0, app.requests());
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsReusableWithinKeepAliveAndClosedAfterIt() throws IOException {
    try (Socket socket = gateway.connect()) {
      assertEquals(200, exchange(socket, GET).status());
      GatewayFixture.sleep(1_000);
      assertEquals(200, exchange(socket, GET).status());

      Duration idle = GuardedGateway.awaitEnd(socket, BOUND);

      assertTrue(idle.toMillis() >= 2_500, "closed after " + idle);
    }
  }

  @Test
  void aRequestWaitingLongerThanBothTimeoutsForItsUpstreamIsAnswered() throws IOException {
    try (Socket socket = gateway.connect()) {
      RawHttp.Response answer = exchange(socket, "GET /api/slow HTTP/1.1\r\nHost: gw\r\n\r\n");

      assertEquals(200, answer.status());
      assertEquals("ok", answer.body());
      assertEquals(200, exchange(socket, GET).status(), "still a keep-alive connection");
    }
  }

  /** Writes {@code request} on the connection and reads one answer. */
  private static RawHttp.Response exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.setSoTimeout((int) BOUND.toMillis());
    return RawHttp.read(socket.getInputStream());
  }

  /**
   * Sends a never-ending request head, one byte every 100 ms, until the connection breaks: about 20
   * bytes in the 2 s, so a loaded machine's late wake-ups still send the 8 the test asks for.
   */
  private static void dribble(Socket socket, AtomicInteger sent) {
    byte[] head = "GET /api/x HTTP/1.1\r\nHost: gw\r\nX-Pad: ".getBytes(StandardCharsets.ISO_8859_1);
    try {
      OutputStream out = socket.getOutputStream();
      for (int i = 0; ; i++) {
        out.write(i < head.length ? head[i] : 'a');
        out.flush();
        sent.incrementAndGet();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // the gateway closed the connection
    }
  }
}
