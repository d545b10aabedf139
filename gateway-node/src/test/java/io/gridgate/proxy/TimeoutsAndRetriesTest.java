package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Route timeouts (total, idle, connect) and retries over real targets that hang, refuse, fail or die. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutsAndRetriesTest {
  private GatewayFixture gw;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private static String pool(String routeExtras, String... addresses) {
    StringBuilder targets = new StringBuilder();
    for (String a : addresses) {
      targets.append(targets.length() == 0 ? "" : ", ").append("{address: \"").append(a).append("\"}");
    }
    return GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [%s], health_check: {passive: {max_failures: 0}}}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app, %s}
        """.formatted(targets, routeExtras);
  }

  private static String dead() {
    return "127.0.0.1:" + GatewayFixture.deadPort();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  // ---- timeouts ----

  @Test
  void upstreamThatNeverAnswersIs504WhenTheTotalTimeoutExpires() {
    TestUpstream silent = gw.upstream("silent", request -> { });
    gw.startGateway(pool("timeouts: {total: 500ms}, retries: {attempts: 1}", silent.address()));

    long start = System.nanoTime();
    GatewayFixture.Reply reply = gw.get("/slow");
    long elapsed = millisSince(start);

    assertEquals(504, reply.status());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(elapsed >= 450 && elapsed < 2500, "answered after " + elapsed + " ms");
    assertEquals(1, silent.requests());
  }

  @Test
  void upstreamThatSendsNothingIs504WhenTheIdleTimeoutExpires() {
    TestUpstream silent = gw.upstream("silent", request -> { });
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}, retries: {attempts: 0}", silent.address()));

    long start = System.nanoTime();
    GatewayFixture.Reply reply = gw.get("/slow");
    long elapsed = millisSince(start);

    assertEquals(504, reply.status());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(elapsed >= 250 && elapsed < 2500, "answered after " + elapsed + " ms");
  }

  @Test
  void upstreamStallingMidBodyBreaksTheClientConnectionAfterTheIdleTimeout() {
    TestUpstream stalling = gw.upstream("stalling", request -> request.response().setChunked(true).write("first part "));
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}", stalling.address()));
    AtomicLong bytes = new AtomicLong();

    long start = System.nanoTime();
    Promise<Integer> statusSeen = Promise.promise();
    AsyncResult<Void> outcome = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
            new RequestOptions().setURI("/stall").setHost("127.0.0.1").setPort(gw.port()),
            HttpClientRequest::send,
            response -> {
              statusSeen.complete(response.statusCode());
              Promise<Void> ended = Promise.promise();
              response.handler(chunk -> bytes.addAndGet(chunk.length()));
              response.exceptionHandler(ended::tryFail);
              response.endHandler(ended::tryComplete);
              return ended.future();
            })
        .transform(Future::succeededFuture));
    long elapsed = millisSince(start);

    assertEquals(200, statusSeen.future().result(), "the upstream's status had already been relayed");
    assertTrue(outcome.failed(), "a truncated body must not look complete to the client");
    assertEquals("first part ".length(), bytes.get());
    assertTrue(elapsed >= 250 && elapsed < 2500, "broken after " + elapsed + " ms");
  }

  @Test
  void slowButSteadyResponseBodyIsNotCutByTheIdleTimeout() {
    TestUpstream trickling = gw.upstream("trickling", request -> {
      request.response().setChunked(true);
      AtomicLong sent = new AtomicLong();
      gw.vertx.setPeriodic(100, timer -> {
        if (sent.incrementAndGet() > 8) {
          gw.vertx.cancelTimer(timer);
          request.response().end();
        } else {
          request.response().write("tick ");
        }
      });
    });
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}", trickling.address()));

    GatewayFixture.Reply reply = gw.get("/trickle");

    assertEquals(200, reply.status());
    assertEquals("tick ".repeat(8), reply.bodyString());
  }

  @Test
  void clientPausingLongerThanTheIdleTimeoutIsNotCutOff() {
    long size = 16L * 1024 * 1024;
    TestUpstream big = gw.upstream("big", request -> {
      request.response().setChunked(true);
      GatewayFixture.writeGenerated(request.response(), size);
    });
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}", big.address()));
    AtomicLong bytes = new AtomicLong();

    Integer status = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        new RequestOptions().setURI("/big").setHost("127.0.0.1").setPort(gw.port()),
        HttpClientRequest::send,
        response -> {
          // Read nothing for 1 s: the gateway's buffers fill and it stops reading the upstream.
          response.pause();
          Promise<Integer> ended = Promise.promise();
          response.handler(chunk -> bytes.addAndGet(chunk.length()));
          response.exceptionHandler(ended::tryFail);
          response.endHandler(v -> ended.tryComplete(response.statusCode()));
          gw.vertx.setTimer(1000, t -> response.resume());
          return ended.future();
        }));

    assertEquals(200, status);
    assertEquals(size, bytes.get());
  }

  /** A listening socket whose accept queue is full, so new connections to it hang in SYN-SENT. */
  private String unacceptingAddress() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    toClose.add(server);
    for (int i = 0; i < 4; i++) {
      Socket filler = new Socket();
      toClose.add(filler);
      try {
        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
      } catch (IOException queueAlreadyFull) {
        break;
      }
    }
    return "127.0.0.1:" + server.getLocalPort();
  }

  @Test
  void targetThatDoesNotAcceptIs504AfterTheConnectTimeout() throws IOException {
    gw.startGateway(pool("timeouts: {connect: 300ms, total: 20s}, retries: {attempts: 0}", unacceptingAddress()));

    long start = System.nanoTime();
    GatewayFixture.Reply reply = gw.get("/x");
    long elapsed = millisSince(start);

    assertEquals(504, reply.status());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(elapsed >= 250 && elapsed < 2500, "answered after " + elapsed + " ms");
  }

  @Test
  void connectTimeoutIsRetriedOnAnotherTarget() throws IOException {
    TestUpstream live = gw.echoUpstream("live");
    gw.startGateway(pool("timeouts: {connect: 300ms}, retries: {attempts: 1}", unacceptingAddress(), live.address()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(200, reply.status());
    assertEquals("live", reply.servedBy());
  }

  @Test
  void refusedConnectionIs502() {
    gw.startGateway(pool("retries: {attempts: 0}", dead()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(502, reply.status());
    JsonObject body = reply.json();
    assertEquals("bad_gateway", body.getString("error"));
    assertEquals(reply.header("X-Request-Id"), body.getString("request_id"));
  }

  // ---- retries ----

  @Test
  void getsToADeadAndALiveTargetWithOneRetryAllSucceedOnTheLiveOne() {
    TestUpstream live = gw.echoUpstream("live");
    gw.startGateway(pool("retries: {attempts: 1}", dead(), live.address()));

    for (int i = 0; i < 6; i++) {
      GatewayFixture.Reply reply = gw.get("/x/" + i);
      assertEquals(200, reply.status());
      assertEquals("live", reply.servedBy());
    }
    assertEquals(6, live.requests());
  }

  @Test
  void answer503IsRetriedOnceOnTheOtherTarget() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 1}", failing.address(), healthy.address()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(200, reply.status());
    assertEquals("healthy", reply.servedBy());
    assertEquals(1, failing.requests());
    assertEquals(1, healthy.requests());
  }

  @Test
  void answer502IsRetriedAndAnswer500IsNot() {
    TestUpstream bad502 = gw.upstream("bad502", TestUpstream.statusHandler(502));
    TestUpstream bad500 = gw.upstream("bad500", TestUpstream.statusHandler(500));
    gw.startGateway(pool("retries: {attempts: 1}", bad502.address(), bad500.address()));

    GatewayFixture.Reply first = gw.get("/x");

    assertEquals(500, first.status(), "502 from the first target retried, 500 from the second passed through");
    assertEquals("status 500", first.bodyString());
    assertEquals(1, bad502.requests());
    assertEquals(1, bad500.requests());
  }

  @Test
  void postIsNotRetriedAfterA503WhichIsPassedThrough() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 3}", failing.address(), healthy.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", Map.of(), "{\"qty\": 1}");

    assertEquals(503, reply.status());
    assertEquals("status 503", reply.bodyString());
    assertEquals("failing", reply.servedBy());
    assertEquals(0, healthy.requests());
  }

  @Test
  void postIsNotRetriedAfterARefusedConnection() {
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 3}", dead(), healthy.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", Map.of(), "{\"qty\": 1}");

    assertEquals(502, reply.status());
    assertEquals("bad_gateway", reply.json().getString("error"));
    assertEquals(0, healthy.requests());
  }

  @Test
  void putWithABodyIsRetriedAfterARefusedConnectionAndTheBodyArrivesWhole() {
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 1}", dead(), healthy.address()));

    String body = "payload-".repeat(2000);
    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", Map.of(), body);

    assertEquals(200, reply.status());
    assertEquals(body, reply.bodyString());
  }

  @Test
  void putWithABodyIsNotRetriedAfterA503BecauseTheBodyWasAlreadyStreamed() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 1}", failing.address(), healthy.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", Map.of(), "body");

    assertEquals(503, reply.status());
    assertEquals(0, healthy.requests());
  }

  @Test
  void targetThatDiesBetweenAttemptsIsSkippedAndTheNextTargetServes() {
    TestUpstream dying = gw.echoUpstream("dying");
    TestUpstream survivor = gw.echoUpstream("survivor");
    // The first target answers 503, but only after the second target's server has closed.
    TestUpstream first = gw.upstream("first", request ->
        dying.closeAsync().onComplete(v -> request.response().setStatusCode(503).end()));
    gw.startGateway(pool("retries: {attempts: 2}", first.address(), dying.address(), survivor.address()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(200, reply.status());
    assertEquals("survivor", reply.servedBy());
    assertEquals(1, first.requests());
    assertEquals(0, dying.requests());
    assertEquals(1, survivor.requests());
  }

  @Test
  void targetClosedAfterServingIsRetriedOnTheOtherTarget() {
    TestUpstream closing = gw.echoUpstream("closing");
    TestUpstream other = gw.echoUpstream("other");
    gw.startGateway(pool("retries: {attempts: 1}", closing.address(), other.address()));

    assertEquals("closing", gw.get("/1").servedBy());
    closing.close();
    assertEquals("other", gw.get("/2").servedBy());
    GatewayFixture.Reply third = gw.get("/3");

    assertEquals(200, third.status());
    assertEquals("other", third.servedBy());
    assertEquals(1, closing.requests());
    assertEquals(2, other.requests());
  }

  @Test
  void exhaustedRetryBudgetIs502JsonEvenWithALiveTargetLeft() {
    TestUpstream live = gw.echoUpstream("live");
    gw.startGateway(pool("retries: {attempts: 1}", dead(), dead(), live.address()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(502, reply.status());
    JsonObject body = reply.json();
    assertEquals("bad_gateway", body.getString("error"));
    assertNotNull(body.getString("message"));
    assertEquals(reply.header("X-Request-Id"), body.getString("request_id"));
    assertEquals(0, live.requests());
  }

  @Test
  void exhaustedRetryBudgetAfter503sPassesTheLast503Through() {
    TestUpstream a = gw.upstream("a", TestUpstream.statusHandler(503));
    TestUpstream b = gw.upstream("b", TestUpstream.statusHandler(503));
    TestUpstream c = gw.echoUpstream("c");
    gw.startGateway(pool("retries: {attempts: 1}", a.address(), b.address(), c.address()));

    GatewayFixture.Reply reply = gw.get("/x");

    assertEquals(503, reply.status());
    assertEquals("b", reply.servedBy());
    assertEquals(1, a.requests());
    assertEquals(1, b.requests());
    assertEquals(0, c.requests());
  }

  @Test
  void zeroRetryAttemptsMeansOneTry() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 0}", failing.address(), healthy.address()));

    assertEquals(503, gw.get("/x").status());
    assertEquals(1, failing.requests());
    assertEquals(0, healthy.requests());
  }
}
