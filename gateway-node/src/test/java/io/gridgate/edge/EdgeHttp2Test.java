package io.gridgate.edge;

import static io.gridgate.testing.H2FrameClient.get;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_MAX_CONCURRENT_STREAMS;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_MAX_HEADER_LIST_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.TestUpstream;
import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/2 (h2c prior knowledge, hand-built frames) on a node built like production: the announced and
 * enforced SETTINGS_MAX_CONCURRENT_STREAMS, the idle timeout of a connection without open streams
 * (GOAWAY), a rapid-reset run that leaves the log quiet and the node serving, and the flood cooldown
 * that keeps the flooding client from reconnecting.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EdgeHttp2Test {
  private static final int MAX_STREAMS = 5;
  /** How long a read may wait for what the gateway sends. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Requests to {@code /api/hold} wait here until released. */
  private final List<Runnable> held = new CopyOnWriteArrayList<>();
  private GuardedGateway gateway;

  @BeforeEach
  void setUp(Vertx vertx) {
    GatewayFixture fixture = new GatewayFixture(vertx);
    TestUpstream app = fixture.upstream("app", request -> {
      if (request.path().startsWith("/api/hold")) {
        Context context = Vertx.currentContext();
        held.add(() -> context.runOnContext(v -> request.response().end("held")));
      } else {
        vertx.setTimer(request.path().startsWith("/api/slow") ? 300 : 1, t -> request.response().end("ok"));
      }
    });
    // keep_alive 4 s: the client sees an answer late on a loaded machine, and the close must still come 2.5 s after it
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(GatewayFixture.nodeYaml(
        "limits: {max_concurrent_streams: " + MAX_STREAMS + ", flood_cooldown: 10s}",
        "client_timeouts: {request_header: 2s, keep_alive: 4s}"), app));
  }

  @AfterEach
  void tearDown() {
    held.forEach(Runnable::run);
    gateway.close();
  }

  @Test
  void theServerAnnouncesTheConfiguredStreamLimitAndKeepsVertxDefaultsOtherwise() {
    try (H2FrameClient h2 = H2FrameClient.open(gateway.port())) {
      assertEquals(MAX_STREAMS, h2.serverSetting(SETTINGS_MAX_CONCURRENT_STREAMS));
      assertEquals(8192L, h2.serverSetting(SETTINGS_MAX_HEADER_LIST_SIZE), "node.limits.max_header_size");
    }
  }

  @Test
  void aStreamOverTheLimitIsRefusedEvenBeforeTheClientAcknowledgedTheSettings() {
    // connect, not open: nothing is read (so the server's SETTINGS are not acknowledged) before the extra stream is sent
    try (H2FrameClient h2 = H2FrameClient.connect(gateway.port())) {
      List<Integer> streams = new ArrayList<>();
      for (int i = 0; i < MAX_STREAMS; i++) {
        streams.add(h2.request(true, get("/api/hold/" + i)));
      }
      GatewayFixture.awaitCondition("the upstream holding " + MAX_STREAMS + " requests", GatewayFixture.WAIT,
          () -> held.size() == MAX_STREAMS);
      int extra = h2.request(true, get("/api/hold/extra"));

      assertEquals(Http2Error.REFUSED_STREAM.code(), h2.awaitReset(extra, WAIT).reset(), "a reset of stream " + extra);

      held.forEach(Runnable::run);
      for (int stream : streams) {
        assertEquals(200, h2.await(stream, WAIT).status(), "the answer on stream " + stream);
      }
      assertEquals(200, h2.await(h2.request(true, get("/api/x")), WAIT).status(), "a new stream's answer");
    }
  }

  @Test
  void anOpenStreamKeepsTheConnectionAndNoStreamForKeepAliveEndsItWithGoaway() {
    try (H2FrameClient h2 = H2FrameClient.open(gateway.port())) {
      int stream = h2.request(true, get("/api/hold/long"));
      GatewayFixture.awaitCondition("the upstream holding the request", GatewayFixture.WAIT, () -> held.size() == 1);
      GatewayFixture.sleep(5_000); // longer than keep_alive and request_header: an open stream is not idle
      held.forEach(Runnable::run);
      assertEquals(200, h2.await(stream, WAIT).status(), "the held answer");
      long idleSince = System.nanoTime();

      Long goAway = h2.awaitGoAway(WAIT); // at once if the GOAWAY came while the stream was open

      long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
      assertEquals(0, goAway, "a GOAWAY with NO_ERROR");
      assertTrue(idleMillis >= 2_500, "GOAWAY after " + idleMillis + " ms");
      assertTrue(h2.awaitClose(stream, WAIT).closed());
    }
  }

  /**
   * Opens a connection from {@code attacker} and resets 300 forwarded requests at once; true when the
   * gateway ended it (a write it refused while the flood was still being written counts).
   */
  private boolean rapidReset(InetAddress attacker) {
    try (H2FrameClient h2 = H2FrameClient.open(gateway.port(), attacker)) {
      for (int i = 0; i < 300; i++) {
        int stream = h2.request(true, get("/api/slow/" + i));
        h2.write(H2FrameClient.rstStream(stream, Http2Error.CANCEL));
      }
      return h2.awaitClose(1, Duration.ofSeconds(15)).closed();
    }
  }

  @Test
  void aRapidResetRunWritesNoSevereLogLinesAndTheNodeKeepsServing() throws IOException {
    try (LogCapture log = LogCapture.onRootLogger()) {
      assertTrue(rapidReset(InetAddress.getByName("127.0.0.2")), "the flood ends the connection (GOAWAY)");
      try (H2FrameClient h2 = H2FrameClient.open(gateway.port())) {
        assertEquals(200, h2.await(h2.request(true, get("/api/x")), WAIT).status(), "an answer after the flood");
      }
      GatewayFixture.sleep(1_000); // resets of upstream requests still in flight would log now
      List<String> severe = log.linesWith(" SEVERE ");
      assertEquals(0, severe.size(), () -> severe.size() + " SEVERE lines, the first: " + severe.get(0));
    }
  }

  @Test
  void aClientThatFloodedIsRefusedNewConnectionsUntilItsCooldownHasPassed() throws IOException {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    assertTrue(rapidReset(attacker), "the flood ends the connection (GOAWAY ENHANCE_YOUR_CALM)");

    assertFalse(answered(attacker), "a new connection of the flooder is closed at accept (cooldown 10 s)");
    assertTrue(answered(InetAddress.getLoopbackAddress()), "another client is served");
    GatewayFixture.awaitCondition("the flooder admitted again after its cooldown", Duration.ofSeconds(40),
        () -> answered(attacker));
  }

  /** Whether a GET on a new connection from {@code client} is answered 200 (false when the connection is refused). */
  private boolean answered(InetAddress client) {
    try (H2FrameClient h2 = H2FrameClient.open(gateway.port(), client)) {
      return Integer.valueOf(200).equals(h2.await(h2.request(true, get("/api/x")), WAIT).status());
    } catch (AssertionError refused) {
      return false;
    }
  }
}
