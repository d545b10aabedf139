package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestUpstream;
import io.gridgate.upstream.CircuitBreaker;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one upstream call, driven directly by a test terminal over loopback sockets to real upstream
 * servers: the bulkhead slot it holds until it finishes, the breaker's single prober, targets picked
 * among those not yet tried with the retry budget, a target that cannot be reached, and the route's
 * total deadline. Breakers read a {@link ManualClock}: open periods pass when the test moves it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamCallTest {
  private final ManualClock clock = new ManualClock();
  private GatewayFixture gw;
  private ChainHarness harness;
  private TestUpstream first;
  private TestUpstream second;
  private NetServer silent;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    first = gw.echoUpstream("first");
    second = gw.echoUpstream("second");
    silent = GatewayFixture.await(vertx.createNetServer().connectHandler(socket -> socket.handler(ignored -> { }))
        .listen(0, "127.0.0.1"));
    harness = new ChainHarness(vertx, GatewayFixture.nodeYaml() + """
        upstreams:
          two: {targets: [{address: "%s"}, {address: "%s"}]}
          narrow: {targets: [{address: "%s"}], bulkhead: {max_concurrent: 1}}
          guarded:
            targets: [{address: "%s"}]
            circuit_breaker: {consecutive_failures: 1, open_for: 1s, half_open_successes: 1, scope: local}
          dead: {targets: [{address: "127.0.0.1:%d"}]}
          silent: {targets: [{address: "127.0.0.1:%d"}]}
        routes:
          - {id: two, match: {path: {prefix: /two}}, upstream: two, retries: {attempts: 1}}
          - {id: narrow, match: {path: {prefix: /narrow}}, upstream: narrow}
          - {id: guarded, match: {path: {prefix: /guarded}}, upstream: guarded}
          - {id: dead, match: {path: {prefix: /dead}}, upstream: dead}
          - {id: silent, match: {path: {prefix: /silent}}, upstream: silent, timeouts: {total: 2s, idle: 30s}}
        """.formatted(first.address(), second.address(), first.address(), first.address(), GatewayFixture.deadPort(),
        silent.actualPort()), clock.nodeClock());
  }

  @AfterEach
  void tearDown() {
    harness.close();
    GatewayFixture.await(silent.close());
  }

  private static UpstreamCall callOf(Exchange ex, int retries) {
    UpstreamPool pool = ex.chain.pool();
    return new UpstreamCall(ex, pool, ex.loop.clients().forPool(pool), RequestObserver.NONE, retries);
  }

  /** What admitting {@code call} came to: "admitted", or the refusal's error code. */
  private static Future<String> admission(UpstreamCall call) {
    return call.admit().transform(ar -> Future.succeededFuture(ar.succeeded() ? "admitted"
        : ((UpstreamCall.Refused) ar.cause()).error));
  }

  @Test
  void aCallHoldsItsBulkheadSlotUntilItFinishes() {
    harness.use("narrow", List.of(), ex -> {
      UpstreamCall holding = callOf(ex, 0);
      UpstreamCall refused = callOf(ex, 0);
      UpstreamCall later = callOf(ex, 0);
      JsonObject seen = new JsonObject()
          .put("holding", admission(holding).result())
          .put("refused", admission(refused).result());
      holding.finish();
      seen.put("later", admission(later).result());
      later.finish();
      ex.response().end(seen.encode());
    });

    JsonObject seen = harness.get("/narrow").json();

    assertEquals(new JsonObject().put("holding", "admitted").put("refused", "bulkhead_full").put("later", "admitted"), seen);
    assertEquals(0, harness.state.pools().get("narrow").bulkhead().inFlight());
  }

  @Test
  void anOpenBreakerLetsOneProbeAtATime() {
    List<UpstreamCall> probes = new CopyOnWriteArrayList<>();
    harness.use("guarded", List.of(), ex -> {
      UpstreamCall call = callOf(ex, 3);
      call.admit().onComplete(ar -> {
        if (ar.succeeded()) {
          probes.add(call); // held: its probe is unsettled until the test finishes it
          ex.response().end(new JsonObject().put("admitted", true).put("retry", call.takeRetry(true)).encode());
        } else {
          ex.response().setStatusCode(503).end(new JsonObject().put("error", ((UpstreamCall.Refused) ar.cause()).error).encode());
        }
      });
    });
    CircuitBreaker breaker = harness.state.pools().get("guarded").breaker();
    breaker.record(false, false);
    assertEquals("circuit_open", harness.get("/guarded").json().getString("error"), "tripped by one failure");

    clock.advance(Duration.ofSeconds(1));
    assertEquals(200, harness.get("/guarded").status(), "the open period ends and a probe is admitted");
    GatewayFixture.Reply whileProbing = harness.get("/guarded");

    assertEquals(1, probes.size());
    assertEquals("circuit_open", whileProbing.json().getString("error"), "one probe at a time");
    UpstreamCall probe = probes.get(0);
    harness.onLoop(probe::finish); // an unsettled probe gives its claim back
    GatewayFixture.awaitCondition("another probe is admitted", GatewayFixture.WAIT,
        () -> harness.get("/guarded").status() == 200);
    assertEquals(2, probes.size());
  }

  @Test
  void targetsAreTriedOnceEachWithinTheRetryBudget() {
    harness.use("two", List.of(), ex -> {
      UpstreamCall call = callOf(ex, 1);
      ex.call(call);
      attempt(ex, call).compose(t1 -> {
        boolean retried = call.takeRetry(true);
        return attempt(ex, call).map(t2 -> new JsonObject().put("distinct", t1 != t2).put("retried", retried)
            .put("budgetLeft", call.takeRetry(true)).put("third", String.valueOf(call.pick())));
      }).onComplete(ar -> {
        if (ar.succeeded()) {
          ex.finish();
          ex.response().end(ar.result().encode());
        } else {
          ex.fail(500, "test_failed", String.valueOf(ar.cause()));
        }
      });
    });

    JsonObject seen = harness.get("/two").json();

    assertEquals(new JsonObject().put("distinct", true).put("retried", true).put("budgetLeft", false).put("third", "null"),
        seen);
    assertEquals(1, first.requests());
    assertEquals(1, second.requests());
    for (Target target : harness.state.pools().get("two").targets()) {
      assertEquals(0, target.inFlight(), "an ended attempt leaves its target");
    }
  }

  /** One attempt to the next target: sent, answered, ended; completes with the target. */
  private static Future<Target> attempt(Exchange ex, UpstreamCall call) {
    Target target = call.pick();
    return call.open(target, call.options(target, ex.request.method(), ex.uri)).compose(request -> {
      call.writeHeaders(request);
      request.end();
      return request.response();
    }).compose(response -> {
      call.answered(target, response.statusCode());
      return BodyCollector.collect(response, () -> { });
    }).map(v -> {
      call.attemptEnded(target, RequestRecord.statusClass(200));
      return target;
    });
  }

  @Test
  void aTargetThatCannotBeReachedIsAnsweredAsTheLastAttemptsFailure() {
    harness.use("dead", List.of(), ex -> {
      UpstreamCall call = callOf(ex, 0);
      ex.call(call);
      Target target = call.pick();
      call.open(target, call.options(target, ex.request.method(), ex.uri)).onComplete(ar -> {
        call.attemptEnded(target, RequestRecord.NO_ANSWER);
        call.noAnswer(target, ar.cause());
        call.failWithLastAttempt();
      });
    });

    GatewayFixture.Reply reply = harness.get("/dead");

    assertEquals(502, reply.status());
    assertEquals("bad_gateway", reply.json().getString("error"));
    assertEquals("upstream 'dead' could not be reached", reply.json().getString("message"));
  }

  @Test
  void theRoutesTotalDeadlineEndsASilentCallWith504() {
    harness.use("silent", List.of(), ex -> {
      UpstreamCall call = callOf(ex, 0);
      ex.call(call);
      call.startDeadlines();
      Target target = call.pick();
      call.open(target, call.options(target, ex.request.method(), ex.uri)).onSuccess(request -> {
        call.writeHeaders(request);
        request.end();
      });
    });

    GatewayFixture.Reply reply = harness.get("/silent");

    assertEquals(504, reply.status());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(reply.json().getString("message").contains("within 2000 ms"), reply.json().getString("message"));
  }
}
