package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.Closer;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that send their request bodies too slowly ({@code node.client_timeouts.request_body} of
 * silence, or less than {@code min_body_rate} on average) are answered 408 and cut off, without
 * holding upstream connections while they dawdle; other clients keep being served.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowUploadTest {
  private static final String CLIENT_TIMEOUTS = "client_timeouts: {request_body: 2s, min_body_rate: 1KB}";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  final Closer closer = new Closer();
  private GatewayFixture gw;
  private RecordingUpstream upstream;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    upstream = closer.add(RecordingUpstream.start());
  }

  /** A gateway with 2 s body clocks whose route {@code all} (with {@code routeExtras}) goes to {@code target}. */
  private void start(String target, String routeExtras) {
    start(CLIENT_TIMEOUTS, target, routeExtras);
  }

  /** {@link #start(String, String)} with {@code clientTimeouts} (a {@code client_timeouts} node line). */
  private void start(String clientTimeouts, String target, String routeExtras) {
    gw.startGateway(GatewayFixture.nodeYaml(clientTimeouts, "limits: {max_connections_per_client: 1000}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app%s}
        """.formatted(target, routeExtras.isEmpty() ? "" : ", " + routeExtras));
  }

  private Socket open(String head) throws IOException {
    return closer.add(RawHttp.send(gw.port(), head));
  }

  private static String post(String path, int contentLength) {
    return "POST " + path + " HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + contentLength + "\r\n\r\n";
  }

  /** Reads the 408 the gateway sends on {@code socket} and checks that the connection is closed after it. */
  private static RawHttp.Response assertTimedOutAndClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    RawHttp.Response response = RawHttp.read(in);
    assertEquals(408, response.status());
    assertEquals("request_timeout", new JsonObject(response.body()).getString("error"));
    assertEquals("close", response.header("Connection"));
    assertEquals(-1, in.read(), "the connection is closed after the 408");
    return response;
  }

  @Test
  void threeHundredSlowUploadsTakeNoUpstreamConnectionsAndAreCutWith408WhileOthersAreServed() throws IOException {
    start(upstream.address(), "");
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      slow.add(open(post("/upload/" + i, 100 * 1024) + "0123456789"));
    }

    assertEquals(200, gw.send(HttpMethod.POST, "/fine", Map.of(), "hello").status());
    assertEquals(200, gw.get("/fine").status());
    assertTrue(upstream.connectionsAccepted() <= 2,
        "slow uploads must not hold upstream connections: " + upstream.connectionsAccepted() + " opened");

    for (Socket socket : slow) {
      assertTimedOutAndClosed(socket);
    }
    assertEquals(2, upstream.count(), "only the well-behaved requests reached the upstream");
    RequestBufferBudget budget = gw.node().state().services().requestBuffers();
    GatewayFixture.awaitCondition("held bodies' memory given back", WAIT, () -> budget.held() == 0);
    assertEquals(200, gw.get("/after").status());
  }

  @Test
  void aTrickleBelowTheMinimumBodyRateIsCut() throws IOException {
    // request_body 4 s, not 2 s: the trickle (a write every 250 ms) must never fall silent that long, or it is
    // cut for silence instead of its rate, even when a loaded machine holds the writing thread back for seconds
    start("client_timeouts: {request_body: 4s, min_body_rate: 1KB}", upstream.address(), "");
    long start = System.nanoTime(); // before the head: the gateway's body clock cannot start earlier
    Socket client = open(post("/upload", 100 * 1024));
    AtomicBoolean trickling = new AtomicBoolean(true);
    Thread trickle = new Thread(() -> {
      try {
        OutputStream out = client.getOutputStream();
        while (trickling.get()) {
          out.write("0123456789".getBytes(StandardCharsets.ISO_8859_1)); // 40 bytes a second, never silent for 4 s
          out.flush();
          Thread.sleep(250);
        }
      } catch (IOException | InterruptedException e) {
        // cut off by the gateway
      }
    });
    trickle.start();

    RawHttp.Response response;
    try {
      response = assertTimedOutAndClosed(client);
    } finally {
      trickling.set(false);
    }
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(new JsonObject(response.body()).getString("message").contains("slower than 1024 bytes per second"),
        response.body());
    assertTrue(elapsedMillis >= 4000, "cut only once the body had been read for request_body: " + elapsedMillis + " ms");
    assertEquals(0, upstream.connectionsAccepted());
  }

  @Test
  void aSteadyBodyAboveTheMinimumRateWithShortPausesIsForwarded() throws IOException {
    start(upstream.address(), "");
    Socket client = open(post("/upload", 16 * 1024));

    // 4 KB a second for 4 s, four times min_body_rate and pauses an eighth of request_body: the rate stays above
    // the minimum and no pause reaches request_body even when a loaded machine stretches the writer's pauses
    for (int i = 0; i < 16; i++) {
      client.getOutputStream().write("k".repeat(1024).getBytes(StandardCharsets.ISO_8859_1));
      client.getOutputStream().flush();
      GatewayFixture.sleep(250);
    }
    RawHttp.Response response = RawHttp.read(client.getInputStream());

    assertEquals(200, response.status());
    assertEquals(16 * 1024, upstream.last().body().length);
  }

  @Test
  void aStreamedBodyThatFallsSilentIs408AndTheUpstreamRequestIsReset() throws IOException {
    start(upstream.address(), "request_buffering: false");
    Socket client = open(post("/upload", 100) + "0123456789");

    assertTimedOutAndClosed(client);

    GatewayFixture.awaitCondition("the upstream connection closed by the gateway", WAIT,
        () -> upstream.count() == 1 && upstream.connectionsOpen() == 0);
    assertEquals("0123456789", upstream.last().bodyString(), "the upstream got the bytes sent, never a complete body");
  }

  @Test
  void aBodyThatFallsSilentAfterTheAnswerStartedIsCutByClosingTheConnection() throws IOException {
    TestUpstream eager = gw.upstream("eager", request -> request.response().setChunked(true).write("first part"));
    start(eager.address(), "request_buffering: false");
    Socket client = open(post("/upload", 100) + "0123456789");

    ByteArrayOutputStream received = new ByteArrayOutputStream();
    client.getInputStream().transferTo(received); // bounded by the socket timeout: ends only when the gateway closes
    String bytes = received.toString(StandardCharsets.ISO_8859_1);

    assertTrue(bytes.startsWith("HTTP/1.1 200"), bytes);
    assertTrue(bytes.contains("first part"), bytes);
    assertFalse(bytes.endsWith("0\r\n\r\n"), "the chunked answer must not look complete: " + bytes);
  }

  @Test
  void anHttp2BodyThatFallsSilentIs408AndItsStreamResetWhileTheConnectionServesOthers() {
    start(upstream.address(), "");

    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      int stalled = h2.request(false, H2FrameClient.fields("POST", "/upload", "content-length", "100"));
      h2.write(H2FrameClient.data(stalled, 0, "0123456789".getBytes(StandardCharsets.ISO_8859_1)));
      H2FrameClient.Outcome answer = h2.await(stalled, WAIT);
      assertEquals(408, answer.status());
      assertEquals("request_timeout", new JsonObject(answer.text()).getString("error"));
      assertEquals(0, h2.awaitReset(stalled, WAIT).reset(), "RST_STREAM(NO_ERROR) stops the client sending the rest");

      assertEquals(200, h2.await(h2.request(true, H2FrameClient.get("/other")), WAIT).status());
    }
    assertEquals(1, upstream.count(), "only the other request reached the upstream");
  }
}
