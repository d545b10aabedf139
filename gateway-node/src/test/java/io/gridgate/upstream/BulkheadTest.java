package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bulkhead of 2 in front of an upstream that holds requests: the third concurrent request is
 * refused at once with 503 {@code bulkhead_full}, and slots come back when exchanges complete,
 * time out or are abandoned by the client.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BulkheadTest {
  /**
   * How long held requests keep their slots, 3 s (not 1 s or 300 ms) so that filling both slots and
   * sending the third fit in it on a loaded machine: the abandoning client's idle timeout, and the
   * route's total timeout, which is longer so that the client gives up first. "At once" means well
   * before a slot could free up.
   */
  private static final long HOLD_MILLIS = 3_000;
  private static final long TOTAL_TIMEOUT_MILLIS = 5_000;
  private static final long AT_ONCE_MILLIS = 2_000;
  private GatewayFixture gw;
  private TestUpstream upstream;
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    upstream = gw.upstream("slow", request -> {
      if (request.path().equals("/hold")) {
        held.add(request);
      } else {
        request.response().end("fast");
      }
    });
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app:
            targets: [{address: "%s"}]
            bulkhead: {max_concurrent: 2}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app, timeouts: {total: %dms}}
        """.formatted(upstream.address(), TOTAL_TIMEOUT_MILLIS));
    // warm the client connection and the JSON error path, so "at once" measures the bulkhead alone
    assertEquals(400, gw.send(HttpMethod.GET, "/fast", java.util.Map.of("Content-Length", "x"), null).status());
  }

  private Bulkhead bulkhead() {
    return gw.node().state().pools().get("app").bulkhead();
  }

  private Future<GatewayFixture.Reply> hold(RequestOptions options) {
    return GatewayFixture.exchange(gw.client(), options, HttpClientRequest::send, GatewayFixture::reply);
  }

  /** Starts two held requests and waits until the upstream has both. */
  private List<Future<GatewayFixture.Reply>> fillBothSlots(RequestOptions options) {
    int before = upstream.requests();
    List<Future<GatewayFixture.Reply>> replies = List.of(hold(options), hold(options));
    GatewayFixture.awaitCondition("both requests at the upstream", GatewayFixture.WAIT,
        () -> upstream.requests() == before + 2);
    return replies;
  }

  private void assertThirdIsRefusedAtOnce() {
    int before = upstream.requests();
    long start = System.nanoTime();
    GatewayFixture.Reply refused = gw.get("/fast");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(503, refused.status());
    assertEquals("bulkhead_full", refused.json().getString("error"));
    assertTrue(millis < AT_ONCE_MILLIS, "refused after " + millis + " ms");
    assertEquals(before, upstream.requests(), "a refused request never reaches the upstream");
  }

  private void assertSlotsAreFreeAgain() {
    GatewayFixture.awaitCondition("slots released", GatewayFixture.WAIT, () -> bulkhead().inFlight() == 0);
    assertEquals(200, gw.get("/fast").status());
    assertEquals(200, gw.get("/fast").status());
  }

  @Test
  void theThirdConcurrentRequestIsRefusedAndCompletedOnesFreeTheirSlots() {
    List<Future<GatewayFixture.Reply>> replies = fillBothSlots(gw.request(HttpMethod.GET, "/hold"));
    assertThirdIsRefusedAtOnce();
    held.forEach(request -> request.response().end("done"));
    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(200, GatewayFixture.await(reply).status());
    }
    assertSlotsAreFreeAgain();
    assertEquals(1, bulkhead().rejected());
  }

  @Test
  void timedOutExchangesFreeTheirSlots() {
    List<Future<GatewayFixture.Reply>> replies = fillBothSlots(gw.request(HttpMethod.GET, "/hold"));
    assertThirdIsRefusedAtOnce();
    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(504, GatewayFixture.await(reply).status());
    }
    assertSlotsAreFreeAgain();
  }

  @Test
  void abandonedExchangesFreeTheirSlots() {
    List<Future<GatewayFixture.Reply>> replies = fillBothSlots(gw.request(HttpMethod.GET, "/hold").setIdleTimeout(HOLD_MILLIS));
    assertThirdIsRefusedAtOnce();
    for (Future<GatewayFixture.Reply> reply : replies) {
      assertTrue(GatewayFixture.failed(reply), "the client gave up");
    }
    assertSlotsAreFreeAgain();
  }
}
