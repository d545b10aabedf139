package io.gridgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits on one node (a cluster of one): 429 answers with JSON and headers, the header
 * styles, several limits on a route with refunds, keys, the leaky bucket's delay and the
 * concurrency limit. Token buckets refilling once an hour keep the counts independent of timing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimitingTest {
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
  }

  private void start(String limitsYaml) {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        """.formatted(app.address()) + limitsYaml);
  }

  private GatewayFixture.Reply get(String uri, String client) {
    return gw.send(HttpMethod.GET, uri, client == null ? Map.of() : Map.of("X-Client", client), null);
  }

  @Test
  void overTheLimitGets429WithJsonRetryAfterAndBothHeaderForms() {
    start("""
        routes:
          - id: api
            match: {path: {prefix: /}}
            upstream: app
            rate_limits:
              - {name: hourly, algorithm: token_bucket, limit: 3, window: 1h}
        """);
    GatewayFixture.Reply first = get("/x", null);
    assertEquals(200, first.status());
    assertEquals("3", first.header("RateLimit-Limit"));
    assertEquals("2", first.header("RateLimit-Remaining"));
    assertEquals("2", first.header("X-RateLimit-Remaining"));
    assertEquals("1200", first.header("RateLimit-Reset"), "a third of an hour refills the used token");
    assertNull(first.header("Retry-After"));
    get("/x", null);
    assertEquals("0", get("/x", null).header("RateLimit-Remaining"));

    GatewayFixture.Reply refused = get("/x", null);
    assertEquals(429, refused.status());
    assertEquals("rate_limited", refused.json().getString("error"));
    assertTrue(refused.json().getString("message").contains("api.hourly"), refused.json().encode());
    assertEquals(refused.header("X-Request-Id"), refused.json().getString("request_id"));
    assertEquals("1200", refused.header("Retry-After"), "one token comes back in 20 minutes");
    assertEquals("0", refused.header("X-RateLimit-Remaining"));
    assertEquals(3, app.requests(), "a refused request never reaches the upstream");
  }

  @Test
  void headerStylesAreChosenPerRoute() {
    start("""
        rate_limits:
          - {name: shared, algorithm: token_bucket, limit: 1, window: 1h, key: "header:X-Client"}
        routes:
          - {id: standard, match: {path: {prefix: /s}}, upstream: app, rate_limit_headers: standard}
          - {id: legacy, match: {path: {prefix: /l}}, upstream: app, rate_limit_headers: legacy}
          - {id: quiet, match: {path: {prefix: /q}}, upstream: app, rate_limit_headers: none}
        """);
    GatewayFixture.Reply standard = get("/s", "a");
    assertEquals("0", standard.header("RateLimit-Remaining"));
    assertNull(standard.header("X-RateLimit-Remaining"));
    GatewayFixture.Reply legacy = get("/l", "b");
    assertEquals("0", legacy.header("X-RateLimit-Remaining"));
    assertNull(legacy.header("RateLimit-Remaining"));
    GatewayFixture.Reply quiet = get("/q", "c");
    assertEquals(200, quiet.status());
    assertNull(quiet.header("RateLimit-Remaining"));
    assertNull(quiet.header("X-RateLimit-Remaining"));
    GatewayFixture.Reply quietRefused = get("/q", "c");
    assertEquals(429, quietRefused.status(), "a global limit is shared by every route");
    assertTrue(quietRefused.header("Retry-After") != null, "Retry-After is sent even without rate-limit headers");
  }

  @Test
  void everyLimitOfARouteAppliesAndARefusalRefundsTheEarlierOnes() {
    start("""
        rate_limits:
          - {name: per-client, algorithm: token_bucket, limit: 5, window: 1h, key: "header:X-Client"}
        routes:
          - id: tight
            match: {path: {prefix: /tight}}
            upstream: app
            rate_limits:
              - {name: two, algorithm: fixed_window, limit: 2, window: 1h, key: "header:X-Client"}
          - {id: open, match: {path: {prefix: /open}}, upstream: app}
        """);
    assertEquals(200, get("/tight", "c1").status());
    GatewayFixture.Reply second = get("/tight", "c1");
    assertEquals(200, second.status());
    assertEquals("0", second.header("RateLimit-Remaining"), "the headers report the tightest limit");
    GatewayFixture.Reply third = get("/tight", "c1");
    assertEquals(429, third.status());
    assertTrue(third.json().getString("message").contains("tight.two"));

    // the global limit gave its permit back when the route's own limit refused: 3 are left
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/open", "c1").status(), "request " + i);
    }
    GatewayFixture.Reply globalRefusal = get("/open", "c1");
    assertEquals(429, globalRefusal.status());
    assertTrue(globalRefusal.json().getString("message").contains("global.per-client"));
    assertEquals(200, get("/open", "c2").status(), "another key has its own bucket");
  }

  @Test
  void aLeakyBucketDelaysRequestsWithinItsBurstAndRefusesBeyond() {
    start("""
        routes:
          - id: paced
            match: {path: {prefix: /}}
            upstream: app
            rate_limits:
              - {name: pace, algorithm: leaky_bucket, limit: 1, window: 1s, burst: 2}
        """); // one slot a second, not five: the four requests arrive within one slot on a loaded machine
    long start = System.nanoTime();
    List<GatewayFixture.Reply> replies = concurrently(4, "/p");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(3, replies.stream().filter(r -> r.status() == 200).count(), "one at once and a queue of two");
    GatewayFixture.Reply refused = replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertEquals("1", refused.header("Retry-After"));
    assertTrue(elapsedMillis >= 1_900, "the second waits 1 s and the third 2 s: " + elapsedMillis);
  }

  @Test
  void aConcurrencyLimitCountsRequestsInFlightAndFreesSlotsWhenTheyEnd() {
    List<Promise<Void>> held = new CopyOnWriteArrayList<>();
    AtomicBoolean holding = new AtomicBoolean(true);
    TestUpstream slow = gw.upstream("slow", req -> {
      if (!holding.get()) {
        req.response().end("done");
        return;
      }
      Promise<Void> release = Promise.promise();
      held.add(release);
      release.future().onComplete(v -> req.response().end("done"));
    });
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - id: slow
            match: {path: {prefix: /}}
            upstream: app
            rate_limits:
              - {name: in-flight, algorithm: concurrency, limit: 2}
        """.formatted(slow.address()));
    List<Future<GatewayFixture.Reply>> inFlight = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      inFlight.add(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/w"), r -> r.send(),
          GatewayFixture::reply));
    }
    GatewayFixture.awaitCondition("two requests held upstream", GatewayFixture.WAIT, () -> held.size() == 2);

    GatewayFixture.Reply third = gw.get("/w");
    assertEquals(429, third.status());
    assertEquals("0", third.header("RateLimit-Remaining"));

    holding.set(false);
    held.forEach(Promise::complete);
    inFlight.forEach(f -> assertEquals(200, GatewayFixture.await(f).status()));
    GatewayFixture.awaitCondition("slots given back as the exchanges end", GatewayFixture.WAIT,
        () -> gw.get("/w").status() == 200);
    assertEquals(200, gw.get("/w").status());
  }

  private List<GatewayFixture.Reply> concurrently(int count, String uri) {
    List<Future<GatewayFixture.Reply>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, uri), r -> r.send(),
          GatewayFixture::reply));
    }
    return futures.stream().map(GatewayFixture::await).toList();
  }
}
