package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 300 slowloris connections (request heads dribbled a byte at a time) are all cut after
 * {@code request_header} (2 s here), while a well-behaved client on its own connection is served
 * all along.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EdgeSlowlorisFloodTest {
  private static final int SLOW_CLIENTS = 300;
  private static final Duration ALL_CUT_WITHIN = Duration.ofSeconds(30);

  private GatewayFixture fixture;
  private GuardedGateway gateway;
  private final Map<SocketChannel, Long> connectedAt = new HashMap<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    fixture = new GatewayFixture(vertx);
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(GatewayFixture.nodeYaml(
        "limits: {max_connections_per_client: 1000}", "client_timeouts: {request_header: 2s, keep_alive: 60s}"),
        fixture.echoUpstream("app")));
  }

  @AfterEach
  void tearDown() throws IOException {
    for (SocketChannel channel : connectedAt.keySet()) {
      channel.close();
    }
    gateway.close();
  }

  @Test
  void everySlowClientIsCutWhileAWellBehavedClientIsServedThroughout() throws IOException {
    assertEquals(200, fixture.get("/api/warm-up").status());
    for (int i = 0; i < SLOW_CLIENTS; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()));
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap("GET /api/slow HTTP/1.1\r\nHost: gw\r\n".getBytes(StandardCharsets.ISO_8859_1)));
      connectedAt.put(channel, System.nanoTime());
    }
    Map<SocketChannel, Long> open = new HashMap<>(connectedAt);
    long shortestLife = Long.MAX_VALUE;
    int served = 0;
    long deadline = System.nanoTime() + ALL_CUT_WITHIN.toNanos();
    while (!open.isEmpty() && System.nanoTime() - deadline < 0) {
      assertEquals(200, fixture.get("/api/meanwhile").status(), "the well-behaved client is served");
      served++;
      long now = System.nanoTime();
      for (var it = open.entrySet().iterator(); it.hasNext(); ) {
        var slow = it.next();
        if (!dribble(slow.getKey())) {
          shortestLife = Math.min(shortestLife, now - slow.getValue());
          it.remove();
        }
      }
      GatewayFixture.sleep(200);
    }

    assertEquals(0, open.size(), open.size() + " slow clients still connected after " + ALL_CUT_WITHIN);
    assertTrue(TimeUnit.NANOSECONDS.toMillis(shortestLife) >= 1_500, "a slow client was cut after " + shortestLife / 1_000_000 + " ms");
    assertTrue(served >= 5, "served " + served + " requests meanwhile");
  }

  /** Sends one more byte of the head; false once the gateway has ended the connection. */
  private static boolean dribble(SocketChannel channel) {
    try {
      if (channel.read(ByteBuffer.allocate(256)) < 0) {
        return false;
      }
      channel.write(ByteBuffer.wrap(new byte[] {'x'}));
      return true;
    } catch (IOException reset) {
      return false;
    }
  }
}
