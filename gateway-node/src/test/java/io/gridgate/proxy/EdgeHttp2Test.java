package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(GatewayFixture.nodeYaml(
        "limits: {max_concurrent_streams: " + MAX_STREAMS + ", flood_cooldown: 10s}",
        "client_timeouts: {request_header: 2s, keep_alive: 3s}"), app));
  }

  @AfterEach
  void tearDown() {
    held.forEach(Runnable::run);
    gateway.close();
  }

  @Test
  void theServerAnnouncesTheConfiguredStreamLimitAndKeepsVertxDefaultsOtherwise() throws IOException {
    try (H2Wire wire = H2Wire.connect(gateway.port())) {
      Map<Integer, Long> settings = wire.await("the server's SETTINGS", f -> f.type() == H2Wire.SETTINGS && !f.has(H2Wire.FLAG_ACK)).settings();

      assertEquals(MAX_STREAMS, settings.get(H2Wire.SETTINGS_MAX_CONCURRENT_STREAMS));
      assertEquals(8192L, settings.get(H2Wire.SETTINGS_MAX_HEADER_LIST_SIZE), "node.limits.max_header_size");
    }
  }

  @Test
  void aStreamOverTheLimitIsRefusedEvenBeforeTheClientAcknowledgedTheSettings() throws IOException {
    try (H2Wire wire = H2Wire.connect(gateway.port())) {
      for (int i = 0; i < MAX_STREAMS; i++) {
        wire.get(1 + 2 * i, "/api/hold/" + i);
      }
      GatewayFixture.awaitCondition("the upstream holding " + MAX_STREAMS + " requests", Duration.ofSeconds(10),
          () -> held.size() == MAX_STREAMS);
      int extra = 1 + 2 * MAX_STREAMS;
      wire.get(extra, "/api/hold/extra");

      H2Wire.Frame refusal = wire.await("a reset of stream " + extra, f -> f.type() == H2Wire.RST_STREAM);
      assertEquals(extra, refusal.streamId());
      assertEquals(H2Wire.REFUSED_STREAM, refusal.errorCode());

      held.forEach(Runnable::run);
      for (int i = 0; i < MAX_STREAMS; i++) {
        int stream = 1 + 2 * i;
        assertEquals(200, wire.await("the answer on stream " + stream, f -> f.type() == H2Wire.HEADERS && f.streamId() == stream).status());
      }
      wire.get(extra + 2, "/api/x");
      assertEquals(200, wire.await("a new stream's answer", f -> f.type() == H2Wire.HEADERS && f.streamId() == extra + 2).status());
    }
  }

  @Test
  void anOpenStreamKeepsTheConnectionAndNoStreamForKeepAliveEndsItWithGoaway() throws IOException {
    try (H2Wire wire = H2Wire.connect(gateway.port())) {
      wire.settingsAck();
      wire.get(1, "/api/hold/long");
      GatewayFixture.awaitCondition("the upstream holding the request", Duration.ofSeconds(10), () -> held.size() == 1);
      GatewayFixture.sleep(5_000); // longer than keep_alive and request_header: an open stream is not idle
      held.forEach(Runnable::run);
      assertEquals(200, wire.await("the held answer", f -> f.type() == H2Wire.HEADERS && f.streamId() == 1).status());
      long idleSince = System.nanoTime();

      H2Wire.Frame goAway = wire.await("a GOAWAY", f -> f.type() == H2Wire.GOAWAY);

      long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - idleSince);
      assertEquals(0, goAway.errorCode(), "NO_ERROR");
      assertTrue(idleMillis >= 2_500, "GOAWAY after " + idleMillis + " ms");
      assertTrue(wire.closedWithin(10_000));
    }
  }

  /** Opens a connection from {@code attacker} and resets 300 forwarded requests at once; true when the gateway ended it. */
  private boolean rapidReset(InetAddress attacker) {
    try (H2Wire wire = H2Wire.connectFrom(gateway.port(), attacker)) {
      wire.settingsAck();
      for (int i = 0; i < 300; i++) {
        wire.get(1 + 2 * i, "/api/slow/" + i);
        wire.reset(1 + 2 * i, H2Wire.CANCEL);
      }
      return wire.closedWithin(15_000);
    } catch (IOException resetWhileSending) {
      return true; // the gateway closed the connection while the flood was still being written
    }
  }

  @Test
  void aRapidResetRunWritesNoSevereLogLinesAndTheNodeKeepsServing() throws IOException {
    try (LogCapture log = LogCapture.onRootLogger()) {
      assertTrue(rapidReset(InetAddress.getByName("127.0.0.2")), "the flood ends the connection (GOAWAY)");
      try (H2Wire wire = H2Wire.connect(gateway.port())) {
        wire.get(1, "/api/x");
        assertEquals(200, wire.await("an answer after the flood", f -> f.type() == H2Wire.HEADERS && f.streamId() == 1).status());
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
    try (H2Wire wire = H2Wire.connectFrom(gateway.port(), client)) {
      wire.get(1, "/api/x");
      return wire.await("an answer", f -> f.type() == H2Wire.HEADERS && f.streamId() == 1).status() == 200;
    } catch (IOException | AssertionError refused) {
      return false;
    }
  }
}
