package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.http.ClientResponse;
import io.gridgate.security.Refusal;
import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The step chain on its own, over a loopback socket: request sides in order until a step answers
 * or suspends, the terminal after the last, every answer's head through every step's response side
 * in reverse order, and each step's finish once per exchange; then the real steps one at a time
 * (the IP filter, rate limits with their headers and refunds, the cache, the route's response headers).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouteChainTest {
  private static final String YAML = GatewayFixture.nodeYaml() + """
      upstreams:
        app: {targets: [{address: "127.0.0.1:9"}]}
      routes:
        - {id: plain, match: {path: {prefix: /plain}}, upstream: app}
        - id: limited
          match: {path: {prefix: /limited}}
          upstream: app
          rate_limits:
            - {name: two, algorithm: token_bucket, limit: 2, window: 1h}
        - id: concurrent
          match: {path: {prefix: /concurrent}}
          upstream: app
          rate_limits:
            - {name: one-at-a-time, algorithm: concurrency, limit: 1}
        - id: cached
          match: {path: {prefix: /cached}}
          upstream: app
          cache: {ttl: 1h}
        - id: denied
          match: {path: {prefix: /denied}}
          upstream: app
          ip_rules: {deny: ["127.0.0.0/8"]}
          response_headers: {set: {X-Route: denied}}
      """;
  private ChainHarness harness;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger terminalRuns = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) {
    harness = new ChainHarness(vertx, YAML);
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  /** A step that records each of its sides and answers its request side with {@code next}. */
  private Step recording(String name, Step.Next next) {
    return new Step() {
      @Override
      public Next onRequest(Exchange ex) {
        events.add(name + ".request");
        if (next == Next.ANSWERED) {
          ex.answer(Refusal.of(403, "refused_by_" + name, name + " refused"));
        } else if (next == Next.SUSPENDED) {
          ex.loop.vertx().setTimer(20, t -> ex.resume());
        }
        return next;
      }

      @Override
      public void onResponseHead(Exchange ex, int status, ClientResponse response) {
        events.add(name + ".head " + status);
        response.headers().add("X-Steps", name);
      }

      @Override
      public void onFinish(Exchange ex) {
        events.add(name + ".finish");
      }
    };
  }

  /** A terminal answering 200 "done" through the door, as the forwarder does. */
  private Terminal answering() {
    return ex -> {
      terminalRuns.incrementAndGet();
      events.add("terminal");
      Answers.head(ex, 200);
      ex.chain.wholeResponseBody(ex, Buffer.buffer("done"));
      ex.finish();
      ex.response().end("done");
    };
  }

  @Test
  void requestSidesRunInOrderThenTheTerminalAndTheHeadPassesTheStepsInReverse() {
    harness.use("plain", List.of(recording("a", Step.Next.CONTINUE), recording("b", Step.Next.CONTINUE)), answering());

    GatewayFixture.Reply reply = harness.get("/plain/x");

    assertEquals(200, reply.status());
    assertEquals(List.of("b", "a"), reply.headers().getAll("X-Steps"));
    assertNotNull(reply.header("X-Request-Id"));
    assertEquals(List.of("a.request", "b.request", "terminal", "b.head 200", "a.head 200", "b.finish", "a.finish"), events);
  }

  @Test
  void aStepThatAnswersStopsTheChainAndTheAnswerStillPassesEveryStepsHead() {
    harness.use("plain", List.of(recording("a", Step.Next.ANSWERED), recording("b", Step.Next.CONTINUE)), answering());

    GatewayFixture.Reply reply = harness.get("/plain/x");

    assertEquals(403, reply.status());
    assertEquals("refused_by_a", reply.json().getString("error"));
    assertEquals(List.of("b", "a"), reply.headers().getAll("X-Steps"), "same headers on every answer of the route");
    assertEquals(0, terminalRuns.get());
    assertEquals(List.of("a.request", "b.finish", "a.finish", "b.head 403", "a.head 403"), events);
  }

  @Test
  void aSuspendedStepResumesTheChainWhereItStopped() {
    harness.use("plain", List.of(recording("a", Step.Next.SUSPENDED), recording("b", Step.Next.CONTINUE)), answering());

    GatewayFixture.Reply reply = harness.get("/plain/x");

    assertEquals(200, reply.status());
    assertEquals(List.of("a.request", "b.request", "terminal"), events.subList(0, 3));
  }

  @Test
  void aGatewayErrorPassesTheHeadsAndFinishesEachStepOnce() {
    harness.use("plain", List.of(recording("a", Step.Next.CONTINUE)), ex -> {
      ex.fail(502, "bad_gateway", "no");
      ex.fail(504, "upstream_timeout", "ignored: the exchange already ended");
    });

    GatewayFixture.Reply reply = harness.get("/plain/x");

    assertEquals(502, reply.status());
    assertEquals("a", reply.header("X-Steps"));
    assertEquals(List.of("a.request", "a.finish", "a.head 502"), events);
  }

  @Test
  void theRateLimitStepAnswers429WithItsHeadersOnEveryAnswer() {
    harness.use("limited", List.of(rateLimitStep("limited")), answering());

    GatewayFixture.Reply first = harness.get("/limited");
    GatewayFixture.Reply second = harness.get("/limited");
    GatewayFixture.Reply third = harness.get("/limited");

    assertEquals(200, first.status());
    assertEquals("1", first.header("RateLimit-Remaining"));
    assertEquals(200, second.status());
    assertEquals("0", second.header("RateLimit-Remaining"));
    assertEquals(429, third.status());
    assertEquals("rate_limited", third.json().getString("error"));
    assertEquals("0", third.header("RateLimit-Remaining"));
    assertEquals(2, terminalRuns.get());
  }

  @Test
  void theRateLimitStepGivesAConcurrencySlotBackWhenTheExchangeEnds() {
    List<Exchange> open = new CopyOnWriteArrayList<>();
    harness.use("concurrent", List.of(rateLimitStep("concurrent")), ex -> {
      terminalRuns.incrementAndGet();
      open.add(ex); // held open: answered below
    });
    var first = harness.getLater("/concurrent/1");
    GatewayFixture.awaitCondition("the first exchange holds the slot", GatewayFixture.WAIT, () -> open.size() == 1);

    assertEquals(429, harness.get("/concurrent/2").status(), "the only slot is taken");
    Exchange held = open.get(0);
    harness.onLoop(() -> held.fail(502, "bad_gateway", "released"));
    assertEquals(502, GatewayFixture.await(first).status());
    harness.use("concurrent", List.of(rateLimitStep("concurrent")), answering());

    assertEquals(200, harness.get("/concurrent/3").status(), "the ended exchange gave its slot back");
  }

  @Test
  void theCacheStepAnswersAHitWithoutTheTerminal() {
    Step cache = CacheStep.factory(harness.services.caches().compile(harness.state.config().routes()))
        .create(harness.route("cached"));
    harness.use("cached", List.of(cache), ex -> {
      terminalRuns.incrementAndGet();
      ex.response().headers().set("Cache-Control", "max-age=600");
      Answers.head(ex, 200);
      ex.response().headers().set("Content-Length", "4");
      ex.chain.wholeResponseBody(ex, Buffer.buffer("done"));
      ex.finish();
      ex.response().end("done");
    });

    GatewayFixture.Reply miss = harness.get("/cached/a");
    GatewayFixture.Reply hit = harness.get("/cached/a");

    assertEquals("Miss", miss.header("X-Cache-Status"));
    assertEquals(200, hit.status());
    assertEquals("Hit", hit.header("X-Cache-Status"));
    assertEquals("done", hit.bodyString());
    assertNotNull(hit.header("Age"));
    assertEquals(1, terminalRuns.get());
  }

  @Test
  void theIpFilterStepRefusesAndTheRoutesHeadersStillApply() {
    var route = harness.route("denied");
    Step ipFilter = IpFilterStep.factory(harness.state.config()).create(route);
    harness.use("denied", List.of(ipFilter, RouteHeadersStep.FACTORY.create(route)), answering());

    GatewayFixture.Reply reply = harness.get("/denied");

    assertEquals(403, reply.status());
    assertEquals("address_denied", reply.json().getString("error"));
    assertEquals("denied", reply.header("X-Route"));
    assertEquals(0, terminalRuns.get());
    assertNull(reply.header("X-Cache-Status"));
  }

  private Step rateLimitStep(String routeId) {
    return RateLimitStep.factory(harness.services.limiters().compile(harness.state.config().routes()))
        .create(harness.route(routeId));
  }
}
