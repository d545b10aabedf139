package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestUpstream;
import io.gridgate.upstream.BreakerView.Phase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code scope: local} breaker in front of a real upstream that fails on demand: 500s trip it, an
 * open breaker answers 503 with Retry-After without reaching the upstream, after open_for a probe
 * goes through and enough successes close it; a failed probe opens it again; client aborts are not failures.
 * The node's breakers read a {@link ManualClock}: open periods pass when the test moves it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalCircuitBreakerTest {
  private GatewayFixture gw;
  private TestUpstream upstream;
  private static final Duration OPEN_FOR = Duration.ofSeconds(1);
  private final ManualClock clock = new ManualClock();
  /** Requests to /hang whose connection the gateway closed (it gave them up with its client). */
  private final AtomicInteger hangsClosed = new AtomicInteger();
  private volatile int status = 500;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    upstream = gw.upstream("app", request -> {
      if (request.path().equals("/hang")) {
        request.connection().closeHandler(v -> hangsClosed.incrementAndGet());
      } else {
        request.response().setStatusCode(status).end("status " + status);
      }
    });
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app:
            targets: [{address: "%s"}]
            health_check: {passive: {max_failures: 0}}
            circuit_breaker: {consecutive_failures: 3, open_for: 1s, half_open_successes: 2, scope: local}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(upstream.address()), clock);
  }

  private CircuitBreaker breaker() {
    return gw.node().state().pools().get("app").breaker();
  }

  @Test
  void failuresOpenItAndProbesCloseIt() {
    tripWithThree500s();

    GatewayFixture.Reply rejected = gw.get("/x");
    assertEquals(503, rejected.status());
    assertEquals("circuit_open", rejected.json().getString("error"));
    assertEquals("1", rejected.header("Retry-After"), "seconds until half-open");
    assertTrue(rejected.json().containsKey("request_id"));
    assertEquals(3, upstream.requests(), "an open breaker never touches the upstream");

    status = 200;
    clock.advance(OPEN_FOR.minusMillis(1));
    assertEquals(503, gw.get("/x").status(), "still open just before open_for ends");
    clock.advanceMillis(1);
    assertEquals(200, gw.get("/x").status(), "after open_for a probe goes through");
    assertEquals(Phase.HALF_OPEN, breaker().phase());
    assertEquals(200, gw.get("/x").status());
    assertEquals(Phase.CLOSED, breaker().phase(), "two successful probes close it");
    assertEquals(200, gw.get("/x").status());
    assertEquals(6, upstream.requests());
  }

  @Test
  void aFailedProbeOpensItAgainForAFreshPeriod() {
    tripWithThree500s();
    clock.advance(OPEN_FOR);
    assertEquals(500, gw.get("/x").status(), "the probe reaches the failing upstream");
    assertEquals(Phase.OPEN, breaker().phase());
    assertEquals(4, upstream.requests());
    GatewayFixture.Reply rejected = gw.get("/x");
    assertEquals(503, rejected.status());
    assertEquals("1", rejected.header("Retry-After"));
    clock.advance(OPEN_FOR.minusMillis(1));
    assertEquals(503, gw.get("/x").status(), "the fresh period counts from the failed probe");
    assertEquals(4, upstream.requests());
  }

  @Test
  void clientsThatGoAwayAreNotUpstreamFailures() {
    for (int i = 1; i <= 3; i++) {
      var abandoned = GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/hang").setIdleTimeout(200),
          HttpClientRequest::send, GatewayFixture::reply);
      assertTrue(GatewayFixture.failed(abandoned), "the client gave up");
      int expected = i;
      GatewayFixture.awaitCondition("the upstream saw request " + i, GatewayFixture.WAIT,
          () -> upstream.requests() == expected);
    }
    GatewayFixture.awaitCondition("the gateway gave up the three upstream requests", GatewayFixture.WAIT,
        () -> hangsClosed.get() == 3);
    assertEquals(Phase.CLOSED, breaker().phase(), "three aborted requests in a row do not trip it");
    tripWithThree500s();
  }

  private void tripWithThree500s() {
    int before = upstream.requests();
    for (int i = 0; i < 3; i++) {
      assertEquals(500, gw.get("/x").status());
    }
    assertEquals(before + 3, upstream.requests());
    assertEquals(Phase.OPEN, breaker().phase());
  }
}
