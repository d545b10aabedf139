package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.Closer;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Route timeouts (total, idle, connect) and retries over real targets that hang, refuse, fail or die. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimeoutsAndRetriesTest {
  private GatewayFixture gw;
  @RegisterExtension
  final Closer closer = new Closer();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
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

  /** Answers come well before this, and the 20 s totals they must not be mistaken for come well after (CI shares cores). */
  private static final long LATEST_MILLIS = 10_000;

  /** GETs {@code uri} and asserts a 504 {@code upstream_timeout} answer after {@code atLeastMillis} (and under {@link #LATEST_MILLIS}). */
  private void assertGetTimesOutWith504(String uri, long atLeastMillis) {
    long start = System.nanoTime();
    GatewayFixture.Reply reply = gw.get(uri);
    long elapsed = millisSince(start);

    assertEquals(504, reply.status());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(elapsed >= atLeastMillis && elapsed < LATEST_MILLIS, "answered after " + elapsed + " ms");
  }

  /** GETs {@code uri} and asserts the answer's status and the target that served it. */
  private void assertGetAnsweredBy(String uri, int status, String servedBy) {
    GatewayFixture.Reply reply = gw.get(uri);
    assertEquals(status, reply.status(), "status for " + uri);
    assertEquals(servedBy, reply.servedBy(), "target serving " + uri);
  }

  /** The two targets of {@link #startFailingThenHealthy}. */
  private record FailingThenHealthy(TestUpstream failing, TestUpstream healthy) {}

  /** Starts a pool whose first target answers 503 and whose second echoes, the route retrying {@code retryAttempts} times. */
  private FailingThenHealthy startFailingThenHealthy(int retryAttempts) {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: " + retryAttempts + "}", failing.address(), healthy.address()));
    return new FailingThenHealthy(failing, healthy);
  }

  // ---- timeouts ----

  @Test
  void upstreamThatNeverAnswersIs504WhenTheTotalTimeoutExpires() {
    TestUpstream silent = gw.upstream("silent", request -> { });
    gw.startGateway(pool("timeouts: {total: 500ms}, retries: {attempts: 1}", silent.address()));

    assertGetTimesOutWith504("/slow", 450);
    assertEquals(1, silent.requests());
  }

  @Test
  void upstreamThatSendsNothingIs504WhenTheIdleTimeoutExpires() {
    TestUpstream silent = gw.upstream("silent", request -> { });
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}, retries: {attempts: 0}", silent.address()));

    assertGetTimesOutWith504("/slow", 250);
  }

  @Test
  void upstreamStallingMidBodyBreaksTheClientConnectionAfterTheIdleTimeout() {
    TestUpstream stalling = gw.upstream("stalling", request -> request.response().setChunked(true).write("first part "));
    gw.startGateway(pool("timeouts: {idle: 300ms, total: 20s}", stalling.address()));
    AtomicLong bytes = new AtomicLong();

    long start = System.nanoTime();
    Promise<Integer> statusSeen = Promise.promise();
    AsyncResult<Integer> outcome = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
            gw.request(HttpMethod.GET, "/stall"),
            HttpClientRequest::send,
            response -> {
              statusSeen.complete(response.statusCode());
              return GatewayFixture.countBody(response, bytes);
            })
        .transform(Future::succeededFuture));
    long elapsed = millisSince(start);

    assertEquals(200, statusSeen.future().result(), "the upstream's status had already been relayed");
    assertTrue(outcome.failed(), "a truncated body must not look complete to the client");
    assertEquals("first part ".length(), bytes.get());
    assertTrue(elapsed >= 250 && elapsed < LATEST_MILLIS, "broken after " + elapsed + " ms");
  }

  @Test
  void slowButSteadyResponseBodyIsNotCutByTheIdleTimeout() {
    // ticks 500 ms apart under an idle timeout of 2 s (not 100 ms under 300 ms): a loaded machine's pauses fit in between
    TestUpstream trickling = gw.upstream("trickling", request -> {
      request.response().setChunked(true);
      AtomicLong sent = new AtomicLong();
      gw.vertx.setPeriodic(500, timer -> {
        if (sent.incrementAndGet() > 8) {
          gw.vertx.cancelTimer(timer);
          request.response().end();
        } else {
          request.response().write("tick ");
        }
      });
    });
    gw.startGateway(pool("timeouts: {idle: 2s, total: 20s}", trickling.address()));

    GatewayFixture.Reply reply = gw.get("/trickle");

    assertEquals(200, reply.status());
    assertEquals("tick ".repeat(8), reply.bodyString());
  }

  @Test
  void slowButSteadyRequestBodyToASilentUpstreamIsNotCutByTheIdleTimeout() {
    TestUpstream counting = TestUpstream.counting(gw.vertx, "counting");
    // ticks 500 ms apart under an idle timeout of 2 s (not 100 ms under 300 ms): a loaded machine's pauses fit in between
    gw.startGateway(pool("timeouts: {idle: 2s, total: 20s}", counting.address()));

    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.POST, "/upload"), request -> {
          request.setChunked(true);
          AtomicLong sent = new AtomicLong();
          gw.vertx.setPeriodic(500, timer -> {
            if (sent.incrementAndGet() > 8) {
              gw.vertx.cancelTimer(timer);
              request.end();
            } else {
              request.write("tick ");
            }
          });
          return request.response();
        }, GatewayFixture::reply));

    assertEquals(200, reply.status(), "the upstream answers only once the body ended, 4 s in");
    assertEquals(Integer.toString("tick ".length() * 8), reply.bodyString());
  }

  @Test
  void clientPausingLongerThanTheIdleTimeoutIsNotCutOff() {
    long size = 16L * 1024 * 1024;
    TestUpstream big = gw.upstream("big", request -> {
      request.response().setChunked(true);
      GatewayFixture.writeGenerated(request.response(), size);
    });
    // an idle timeout of 1 s, not 300 ms: a loaded machine's stalls while 16 MB flow must fit in it
    gw.startGateway(pool("timeouts: {idle: 1s, total: 20s}", big.address()));
    AtomicLong bytes = new AtomicLong();

    Integer status = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.GET, "/big"),
        HttpClientRequest::send,
        response -> {
          // Read nothing for 2 s: the gateway's buffers fill and it stops reading the upstream.
          response.pause();
          Future<Integer> ended = GatewayFixture.countBody(response, bytes);
          gw.vertx.setTimer(2000, t -> response.resume());
          return ended;
        }));

    assertEquals(200, status);
    assertEquals(size, bytes.get());
  }

  /** A listening socket whose accept queue is full, so new connections to it hang in SYN-SENT. */
  private String unacceptingAddress() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    closer.add(server);
    for (int i = 0; i < 4; i++) {
      Socket filler = new Socket();
      closer.add(filler);
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

    assertGetTimesOutWith504("/x", 250);
  }

  @Test
  void connectTimeoutIsRetriedOnAnotherTarget() throws IOException {
    TestUpstream live = gw.echoUpstream("live");
    gw.startGateway(pool("timeouts: {connect: 300ms}, retries: {attempts: 1}", unacceptingAddress(), live.address()));

    assertGetAnsweredBy("/x", 200, "live");
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
      assertGetAnsweredBy("/x/" + i, 200, "live");
    }
    assertEquals(6, live.requests());
  }

  @Test
  void answer503IsRetriedOnceOnTheOtherTarget() {
    FailingThenHealthy targets = startFailingThenHealthy(1);

    assertGetAnsweredBy("/x", 200, "healthy");
    assertEquals(List.of(1, 1), TestUpstream.requestCounts(targets.failing(), targets.healthy()));
  }

  @Test
  void answer502IsRetriedAndAnswer500IsNot() {
    TestUpstream bad502 = gw.upstream("bad502", TestUpstream.statusHandler(502));
    TestUpstream bad500 = gw.upstream("bad500", TestUpstream.statusHandler(500));
    gw.startGateway(pool("retries: {attempts: 1}", bad502.address(), bad500.address()));

    GatewayFixture.Reply first = gw.get("/x");

    assertEquals(500, first.status(), "502 from the first target retried, 500 from the second passed through");
    assertEquals("status 500", first.bodyString());
    assertEquals(List.of(1, 1), TestUpstream.requestCounts(bad502, bad500));
  }

  @Test
  void postIsNotRetriedAfterA503WhichIsPassedThrough() {
    FailingThenHealthy targets = startFailingThenHealthy(3);

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", Map.of(), "{\"qty\": 1}");

    assertEquals(503, reply.status());
    assertEquals("status 503", reply.bodyString());
    assertEquals("failing", reply.servedBy());
    assertEquals(0, targets.healthy().requests());
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
  void putWithABodyIsNotRetriedAfterA503WhenTheRouteStreamsBodies() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(503));
    TestUpstream healthy = gw.echoUpstream("healthy");
    gw.startGateway(pool("retries: {attempts: 1}, request_buffering: false", failing.address(), healthy.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", Map.of(), "body");

    assertEquals(503, reply.status(), "the body was streamed to the first target, so it cannot be sent again");
    assertEquals(0, healthy.requests());
  }

  @Test
  void putWithABufferedBodyIsRetriedAfterA503() {
    FailingThenHealthy targets = startFailingThenHealthy(1);

    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", Map.of(), "body");

    assertEquals(200, reply.status(), "the gateway held the whole body, so it sends it again");
    assertEquals("body", reply.bodyString());
    assertEquals(List.of(1, 1), TestUpstream.requestCounts(targets.failing(), targets.healthy()));
  }

  @Test
  void targetThatDiesBetweenAttemptsIsSkippedAndTheNextTargetServes() {
    TestUpstream dying = gw.echoUpstream("dying");
    TestUpstream survivor = gw.echoUpstream("survivor");
    // The first target answers 503, but only after the second target's server has closed.
    TestUpstream first = gw.upstream("first", request ->
        dying.closeAsync().onComplete(v -> request.response().setStatusCode(503).end()));
    gw.startGateway(pool("retries: {attempts: 2}", first.address(), dying.address(), survivor.address()));

    assertGetAnsweredBy("/x", 200, "survivor");
    assertEquals(List.of(1, 0, 1), TestUpstream.requestCounts(first, dying, survivor));
  }

  @Test
  void targetClosedAfterServingIsRetriedOnTheOtherTarget() {
    TestUpstream closing = gw.echoUpstream("closing");
    TestUpstream other = gw.echoUpstream("other");
    gw.startGateway(pool("retries: {attempts: 1}", closing.address(), other.address()));

    assertEquals("closing", gw.get("/1").servedBy());
    closing.close();
    assertEquals("other", gw.get("/2").servedBy());
    assertGetAnsweredBy("/3", 200, "other");
    assertEquals(List.of(1, 2), TestUpstream.requestCounts(closing, other));
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

    assertGetAnsweredBy("/x", 503, "b");
    assertEquals(List.of(1, 1, 0), TestUpstream.requestCounts(a, b, c));
  }

  @Test
  void zeroRetryAttemptsMeansOneTry() {
    FailingThenHealthy targets = startFailingThenHealthy(0);

    assertEquals(503, gw.get("/x").status());
    assertEquals(List.of(1, 0), TestUpstream.requestCounts(targets.failing(), targets.healthy()));
  }
}
