package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSocket upgrades proxied end to end: echo through the gateway, close propagation both ways,
 * rejected handshakes, and the bulkhead slot a tunnel holds until it closes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@io.vertx.junit5.Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class WebSocketProxyTest {
  private GatewayFixture gw;
  private WebSocketClient wsClient;
  /** Server-side sockets the upstream accepted, in order. */
  private final List<ServerWebSocket> accepted = new CopyOnWriteArrayList<>();
  private final List<Promise<ServerWebSocket>> upstreamClosed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    wsClient = vertx.createWebSocketClient();
  }

  /** An upstream echoing every message; the text message "close-me" makes it close with 4000 "bye". */
  private TestUpstream echoWebSocketUpstream() {
    return TestUpstream.start(gw.vertx, "ws", null, TestUpstream.statusHandler(200), ws -> {
      accepted.add(ws);
      Promise<ServerWebSocket> closed = Promise.promise();
      upstreamClosed.add(closed);
      ws.closeHandler(v -> closed.tryComplete(ws));
      ws.textMessageHandler(text -> {
        if (text.equals("close-me")) {
          ws.close((short) 4000, "bye");
        } else {
          ws.writeTextMessage(text);
        }
      });
      ws.binaryMessageHandler(ws::writeBinaryMessage);
    });
  }

  private void startGatewayTo(String address) {
    startGatewayTo(address, "");
  }

  /** {@code routeExtras}: more YAML entries of the route, such as {@code "timeouts: {total: 1s}"}. */
  private void startGatewayTo(String address, String routeExtras) {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          ws: {targets: [{address: "%s"}], health_check: {passive: {max_failures: 0}}}
        routes:
          - {id: ws, match: {path: {exact: /ws}}, upstream: ws, retries: {attempts: 0}%s}
        """.formatted(address, routeExtras.isEmpty() ? "" : ", " + routeExtras));
  }

  @Test
  void aTunnelHoldsItsBulkheadSlotUntilItCloses() {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          ws: {targets: [{address: "%s"}], bulkhead: {max_concurrent: 1}}
        routes:
          - {id: ws, match: {path: {exact: /ws}}, upstream: ws}
        """.formatted(echoWebSocketUpstream().address()));
    WebSocket tunnel = GatewayFixture.await(wsClient.connect(toGateway()));

    Throwable refused = GatewayFixture.await(wsClient.connect(toGateway()).transform(ar -> Future.succeededFuture(ar.cause())));
    assertEquals(503, assertInstanceOf(UpgradeRejectedException.class, refused).getStatus(), "the open tunnel holds the slot");
    assertEquals(1, accepted.size());

    GatewayFixture.await(tunnel.close());
    GatewayFixture.awaitCondition("slot released", GatewayFixture.WAIT,
        () -> gw.node().state().pools().get("ws").bulkhead().inFlight() == 0);
    GatewayFixture.await(GatewayFixture.await(wsClient.connect(toGateway())).close());
    assertEquals(2, accepted.size());
  }

  private WebSocketConnectOptions toGateway() {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gw.port()).setURI("/ws")
        .addHeader("X-Request-Id", "ws-trace-1");
  }

  @Test
  void textAndBinaryMessagesRoundTripThroughTheGateway(VertxTestContext ctx) {
    startGatewayTo(echoWebSocketUpstream().address());
    // Larger than one frame (64 KiB), within the default message limit (256 KiB): sent fragmented.
    byte[] large = new byte[200_000];
    new Random(7).nextBytes(large);
    List<String> texts = new ArrayList<>();
    Checkpoint allEchoed = ctx.checkpoint(2);

    wsClient.connect(toGateway()).onComplete(ctx.succeeding(ws -> {
      ws.textMessageHandler(text -> {
        texts.add(text);
        if (texts.size() == 5) {
          ctx.verify(() -> assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), texts));
          allEchoed.flag();
        }
      });
      ws.binaryMessageHandler(binary -> {
        ctx.verify(() -> assertArrayEquals(large, binary.getBytes()));
        allEchoed.flag();
      });
      for (int i = 0; i < 5; i++) {
        ws.writeTextMessage("m" + i);
      }
      ws.writeBinaryMessage(Buffer.buffer(large));
    }));
  }

  @Test
  void upstreamSeesTheHandshakeThroughTheGatewayWithForwardedHeaders(VertxTestContext ctx) {
    startGatewayTo(echoWebSocketUpstream().address());

    wsClient.connect(toGateway()).onComplete(ctx.succeeding(ws -> ctx.verify(() -> {
      ServerWebSocket upstreamSide = accepted.get(0);
      assertEquals("/ws", upstreamSide.path());
      assertEquals("ws-trace-1", upstreamSide.headers().get("X-Request-Id"));
      assertEquals("127.0.0.1", upstreamSide.headers().get("X-Forwarded-For"));
      assertEquals("ws-trace-1", ws.headers().get("X-Request-Id"), "handshake answer carries the request id");
      ctx.completeNow();
    })));
  }

  @Test
  void clientClosingClosesTheUpstreamSide(VertxTestContext ctx) {
    startGatewayTo(echoWebSocketUpstream().address());

    wsClient.connect(toGateway()).onComplete(ctx.succeeding(ws -> {
      ws.textMessageHandler(echo -> ws.close((short) 1000, "done"));
      ws.writeTextMessage("hello");
      upstreamClosed.get(0).future().onComplete(ctx.succeeding(upstreamSide -> ctx.verify(() -> {
        assertEquals((short) 1000, upstreamSide.closeStatusCode());
        assertEquals("done", upstreamSide.closeReason());
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void upstreamClosingClosesTheClientSide(VertxTestContext ctx) {
    startGatewayTo(echoWebSocketUpstream().address());

    wsClient.connect(toGateway()).onComplete(ctx.succeeding(ws -> {
      ws.closeHandler(v -> ctx.verify(() -> {
        assertEquals((short) 4000, ws.closeStatusCode());
        assertEquals("bye", ws.closeReason());
        ctx.completeNow();
      }));
      ws.writeTextMessage("close-me");
    }));
  }

  @Test
  void upstreamServerGoingAwayClosesTheClientSide(VertxTestContext ctx) {
    TestUpstream upstream = echoWebSocketUpstream();
    startGatewayTo(upstream.address());

    wsClient.connect(toGateway()).onComplete(ctx.succeeding(ws -> {
      ws.closeHandler(v -> ctx.completeNow());
      ws.textMessageHandler(echo -> upstream.closeAsync());
      ws.writeTextMessage("ping");
    }));
  }

  @Test
  void unreachableUpstreamRejectsTheHandshakeWith502(VertxTestContext ctx) {
    startGatewayTo("127.0.0.1:" + GatewayFixture.deadPort());

    wsClient.connect(toGateway()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err instanceof UpgradeRejectedException, err.toString());
      assertEquals(502, ((UpgradeRejectedException) err).getStatus());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void upstreamNeverAnsweringTheHandshakeIs504AtTheRouteDeadlineAndItsConnectionIsClosed() {
    // Accepts the connection, reads the upgrade request and never answers.
    Promise<Void> upstreamConnectionClosed = Promise.promise();
    NetServer silent = gw.vertx.createNetServer().connectHandler(socket -> {
      socket.handler(ignored -> { });
      socket.closeHandler(v -> upstreamConnectionClosed.tryComplete());
    });
    GatewayFixture.await(silent.listen(0, "127.0.0.1"));
    startGatewayTo("127.0.0.1:" + silent.actualPort(), "timeouts: {total: 1s}");

    long start = System.nanoTime();
    AsyncResult<WebSocket> outcome = GatewayFixture.await(
        wsClient.connect(toGateway()).transform(Future::succeededFuture), Duration.ofSeconds(8));
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(outcome.failed(), "the handshake must not succeed");
    UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, outcome.cause());
    assertEquals(504, rejected.getStatus());
    assertEquals("upstream_timeout", new JsonObject(rejected.getBody()).getString("error"));
    // at most 8 s: a hung handshake is caught, and a loaded machine's late timer is not (CI shares cores)
    assertTrue(elapsedMillis >= 900 && elapsedMillis < 8000, "rejected after " + elapsedMillis + " ms");
    GatewayFixture.awaitCondition("gateway closes the hanging upstream connection", GatewayFixture.WAIT,
        () -> upstreamConnectionClosed.future().isComplete());
  }

  @Test
  void upstreamRefusingTheUpgradeIsPassedThrough(VertxTestContext ctx) {
    // No WebSocket handler: the upgrade request is answered as plain HTTP, 403.
    TestUpstream refusing = gw.upstream("refusing", TestUpstream.statusHandler(403));
    startGatewayTo(refusing.address());

    wsClient.connect(toGateway()).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertTrue(err instanceof UpgradeRejectedException, err.toString());
      UpgradeRejectedException rejected = (UpgradeRejectedException) err;
      assertEquals(403, rejected.getStatus());
      assertNotNull(rejected.getHeaders().get("X-Request-Id"));
      ctx.completeNow();
    })));
  }

  @Test
  void gatewayStillServesHttpAfterAWebSocketSession() {
    TestUpstream upstream = echoWebSocketUpstream();
    startGatewayTo(upstream.address());

    GatewayFixture.await(wsClient.connect(toGateway()).compose(WebSocket::close));
    GatewayFixture.await(upstreamClosed.get(0).future());

    assertEquals(404, gw.raw("GET /other HTTP/1.1\r\nHost: x\r\n\r\n").status());
  }
}
