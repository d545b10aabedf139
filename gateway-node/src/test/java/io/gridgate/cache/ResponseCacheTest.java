package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Response caching on one node against a real upstream that counts requests: hits and misses, TTLs
 * and the upstream's Cache-Control, what is never stored, the key (query, vary headers, HEAD from
 * GET), the client's no-cache/no-store, conditional requests, bodies streamed and over the limit,
 * truncated bodies, eviction by bytes and purges through the admin API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseCacheTest {
  static final String ROUTES = """
      routes:
        - {id: cached, match: {path: {prefix: /c}}, upstream: app, cache: {}}
        - {id: short, match: {path: {prefix: /short}}, upstream: app, cache: {ttl: 3s}}
        - {id: long, match: {path: {prefix: /long}}, upstream: app, cache: {ttl: 1h}}
        - {id: ignore-cc, match: {path: {prefix: /ignore-cc}}, upstream: app, cache: {respect_cache_control: false}}
        - {id: only-200, match: {path: {prefix: /only-200}}, upstream: app, cache: {statuses: [200]}}
        - {id: vary, match: {path: {prefix: /vary}}, upstream: app, cache: {vary_headers: [Accept-Language]}}
        - {id: no-query, match: {path: {prefix: /no-query}}, upstream: app, cache: {query: ignore}}
        - {id: small, match: {path: {prefix: /small}}, upstream: app, cache: {max_body_size: 1KB}}
        - {id: get-only, match: {path: {prefix: /get-only}}, upstream: app, cache: {methods: [GET]}}
        - {id: plain, match: {path: {prefix: /plain}}, upstream: app}
      """;
  /** The node's clock: entries age only when a test moves it. */
  private final ManualClock clock = new ManualClock();
  private GatewayFixture gw;
  private TestUpstream app;

  /** Each test starts the gateway itself ({@link #start}), with the node settings it needs. */
  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx).withClock(clock);
    app = gw.upstream("app", TestUpstream.scriptedHandler());
  }

  private void start(String... nodeLines) {
    gw.startGatewayWithAdmin(GatewayFixture.withApp(app, nodeLines) + ROUTES);
  }

  /** GET (or another method) with headers given as name, value pairs. */
  private GatewayFixture.Reply send(HttpMethod method, String uri, String... headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    return gw.send(method, uri, map, null);
  }

  private GatewayFixture.Reply get(String uri, String... headers) {
    return send(HttpMethod.GET, uri, headers);
  }

  private static String cache(GatewayFixture.Reply reply) {
    return reply.header("X-Cache-Status");
  }

  @Test
  void aMissIsStoredAndTheNextRequestIsAHitWithAge() {
    start();
    GatewayFixture.Reply miss = get("/c/x");
    assertEquals(200, miss.status());
    assertEquals("Miss", cache(miss));
    assertEquals("answer 1", miss.bodyString());
    assertNull(miss.header("Age"));

    GatewayFixture.Reply hit = get("/c/x");
    assertEquals(200, hit.status());
    assertEquals("Hit", cache(hit));
    assertEquals("answer 1", hit.bodyString());
    assertEquals("0", hit.header("Age"));
    assertEquals("app", hit.servedBy(), "the upstream's headers are stored with the body");
    assertNotNull(hit.header("X-Request-Id"));
    assertTrue(!hit.header("X-Request-Id").equals(miss.header("X-Request-Id")), "each answer has its own request id");
    assertEquals(1, app.requests());

    assertNull(cache(get("/plain")), "a route without cache says nothing");
  }

  @Test
  void entriesExpireAfterTheirTtlAndTheUpstreamsMaxAgeReplacesIt() {
    start();
    String sMaxAge = "/long/s?cc=max-age%3D3600%2C%20s-maxage%3D3";
    List<String> uris = List.of("/short/x", "/long/m?cc=max-age%3D3", sMaxAge, "/ignore-cc/x?cc=max-age%3D3");
    for (String uri : uris) {
      assertEquals("Miss", cache(get(uri)), uri);
      assertEquals("Hit", cache(get(uri)), uri);
    }
    clock.advanceMillis(2_999);
    for (String uri : uris) {
      GatewayFixture.Reply hit = get(uri);
      assertEquals("Hit", cache(hit), uri + " is fresh until its lifetime of 3 s is over");
      assertEquals("2", hit.header("Age"), uri + ": whole seconds on the node's clock");
    }
    clock.advanceMillis(1);
    assertEquals("Miss", cache(get("/short/x")), "ttl 3s is over");
    assertEquals("Miss", cache(get("/long/m?cc=max-age%3D3")), "max-age=3 replaces ttl 1h");
    assertEquals("Miss", cache(get(sMaxAge)), "s-maxage wins over max-age");
    assertEquals("Hit", cache(get("/ignore-cc/x?cc=max-age%3D3")), "respect_cache_control: false keeps the ttl of 60s");
    assertEquals(7, app.requests());
  }

  @Test
  void answersThatMustNotBeStoredReachTheUpstreamEveryTime() {
    start();
    List<String> uris = List.of("/c/a?cc=no-store", "/c/b?cc=private", "/c/c?cc=no-cache", "/c/d?cc=max-age%3D0",
        "/c/e?cookie=1", "/c/f?status=500", "/c/g?vary=*", "/c/h?vary=Cookie", "/only-200/x?status=404");
    for (String uri : uris) {
      assertEquals("Miss", cache(get(uri)), uri);
      assertEquals("Miss", cache(get(uri)), uri);
    }
    assertEquals(2 * uris.size(), app.requests());
    assertEquals(0, store().size());

    assertEquals("Miss", cache(get("/c/i?status=404")));
    GatewayFixture.Reply notFound = get("/c/i?status=404");
    assertEquals(404, notFound.status());
    assertEquals("Hit", cache(notFound), "404 is among the default statuses");
  }

  @Test
  void theKeyHoldsTheVaryHeadersAndTheQuerySortedOrNot() {
    start();
    assertEquals("Miss", cache(get("/vary/x", "Accept-Language", "en")));
    assertEquals("Hit", cache(get("/vary/x", "Accept-Language", "en")));
    assertEquals("Miss", cache(get("/vary/x", "Accept-Language", "de")));
    assertEquals("Miss", cache(get("/vary/x")));
    assertEquals("Miss", cache(get("/c/q?a=1&b=2")));
    assertEquals("Hit", cache(get("/c/q?b=2&a=1")), "parameters are sorted");
    assertEquals("Miss", cache(get("/c/q?a=2&b=2")));
    assertEquals("Miss", cache(get("/c/q")));
    assertEquals("Miss", cache(get("/no-query/x?page=1")));
    GatewayFixture.Reply ignored = get("/no-query/x?page=2");
    assertEquals("Hit", cache(ignored), "query: ignore leaves the query out of the key");
    assertEquals("Miss", cache(get("/c/Q?a=1&b=2")), "paths are case-sensitive");
    assertEquals("Hit", cache(get("/c//q?b=2&a=1")), "the key holds the normalised path");
    assertEquals(8, app.requests());
  }

  @Test
  void headIsServedFromTheGetEntryButNeverFillsItAndGetOnlyRoutesBypassHead() {
    start();
    GatewayFixture.Reply headFirst = send(HttpMethod.HEAD, "/c/h");
    assertEquals("Miss", cache(headFirst));
    assertEquals("Miss", cache(get("/c/h")), "a HEAD answer has no body to store");
    GatewayFixture.Reply head = send(HttpMethod.HEAD, "/c/h");
    assertEquals(200, head.status());
    assertEquals("Hit", cache(head));
    assertEquals(Integer.toString("answer 2".length()), head.header("Content-Length"));
    assertEquals(0, head.body().length());
    assertEquals(2, app.requests());

    assertEquals("Miss", cache(get("/get-only/x")));
    assertEquals("Bypass", cache(send(HttpMethod.HEAD, "/get-only/x")));
    assertEquals(4, app.requests());
  }

  @Test
  void anEntryStoredOverHttp11IsServedOverH2c() {
    start();
    get("/c/h2?etag=%22e%22");
    HttpClient h2 = gw.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    GatewayFixture.Reply hit = GatewayFixture.send(h2, gw.request(HttpMethod.GET, "/c/h2?etag=%22e%22"), null);
    assertEquals(HttpVersion.HTTP_2, hit.version());
    assertEquals("Hit", cache(hit));
    assertEquals("answer 1", hit.bodyString());
    assertEquals("\"e\"", hit.header("etag"));
    assertEquals(1, app.requests());
  }

  @Test
  void theClientsNoCacheRefreshesTheEntryAndNoStoreBypassesIt() {
    start();
    assertEquals("answer 1", get("/c/r").bodyString());
    GatewayFixture.Reply refresh = get("/c/r", "Cache-Control", "no-cache");
    assertEquals("Refresh", cache(refresh));
    assertEquals("answer 2", refresh.bodyString());
    GatewayFixture.Reply hit = get("/c/r");
    assertEquals("Hit", cache(hit));
    assertEquals("answer 2", hit.bodyString(), "the refreshed answer replaced the entry");

    GatewayFixture.Reply bypass = get("/c/r", "Cache-Control", "no-store");
    assertEquals("Bypass", cache(bypass));
    assertEquals("answer 3", bypass.bodyString());
    assertEquals("answer 2", get("/c/r").bodyString(), "a bypassed answer is not stored");
    assertEquals("Miss", cache(get("/ignore-cc/r", "Cache-Control", "no-cache")));
    assertEquals("Hit", cache(get("/ignore-cc/r", "Cache-Control", "no-cache")), "respect_cache_control: false");
  }

  @Test
  void requestsWithABodyOrUnverifiedCredentialsOrAnotherMethodBypass() {
    start();
    get("/c/b");
    assertEquals("Bypass", cache(gw.send(HttpMethod.POST, "/c/b", Map.of(), "data")));
    assertEquals("Bypass", cache(get("/c/b", "Authorization", "Bearer someone")),
        "a route without auth cannot tell callers apart: their answers are neither served nor stored");
    assertEquals("Bypass", cache(send(HttpMethod.DELETE, "/c/b")));
    assertEquals(4, app.requests());
  }

  @Test
  void aMatchingIfNoneMatchGets304FromTheEntry() {
    start();
    get("/c/e?etag=%22v1%22");
    GatewayFixture.Reply notModified = get("/c/e?etag=%22v1%22", "If-None-Match", "\"v0\", W/\"v1\"");
    assertEquals(304, notModified.status());
    assertEquals("Hit", cache(notModified));
    assertEquals("\"v1\"", notModified.header("ETag"));
    assertEquals(0, notModified.body().length());
    GatewayFixture.Reply other = get("/c/e?etag=%22v1%22", "If-None-Match", "\"v2\"");
    assertEquals(200, other.status());
    assertEquals("answer 1", other.bodyString());
    assertEquals(1, app.requests());
  }

  @Test
  void bodiesOverMaxBodySizeStreamWholeButAreNotStoredAndLargeOnesWithinItAre() {
    start();
    for (String uri : List.of("/small/x?size=200000", "/small/y?size=200000&chunked=1")) {
      for (int i = 0; i < 2; i++) {
        GatewayFixture.Reply reply = get(uri);
        assertEquals(200000, reply.body().length(), uri);
        assertEquals("Miss", cache(reply), uri);
      }
    }
    assertEquals("Miss", cache(get("/c/big?size=300000&chunked=1")));
    GatewayFixture.Reply hit = get("/c/big?size=300000&chunked=1");
    assertEquals("Hit", cache(hit));
    assertEquals("x".repeat(300000), hit.bodyString());
    assertEquals(5, app.requests());
  }

  @Test
  void aMissStreamsToTheClientBeforeTheUpstreamEndsAndIsStoredOnceItEnds() {
    Promise<Void> release = Promise.promise();
    app = gw.upstream("held", request -> {
      request.response().setChunked(true).write("first;");
      release.future().onComplete(v -> request.response().end("last"));
    });
    start();
    Promise<String> firstChunk = Promise.promise();
    Future<String> whole = GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/c/stream"), r -> r.send(),
        response -> {
          Buffer all = Buffer.buffer();
          Promise<String> ended = Promise.promise();
          response.handler(chunk -> {
            all.appendBuffer(chunk);
            firstChunk.tryComplete(chunk.toString());
          });
          response.endHandler(v -> ended.complete(all.toString()));
          return ended.future();
        });
    assertEquals("first;", GatewayFixture.await(firstChunk.future()), "the client reads while the upstream still writes");
    assertEquals(0, store().size(), "nothing is stored before the body ended");
    release.complete();
    assertEquals("first;last", GatewayFixture.await(whole));
    GatewayFixture.awaitCondition("the entry stored", GatewayFixture.WAIT, () -> store().size() == 1);
    GatewayFixture.Reply hit = get("/c/stream");
    assertEquals("Hit", cache(hit));
    assertEquals("first;last", hit.bodyString());
    assertEquals(1, app.requests());
  }

  @Test
  void concurrentMissesOfOneKeyWaitForTheFirstAnswerAndAreServedFromIt() {
    Promise<Void> release = startHeld();
    List<GatewayFixture.Reply> replies = concurrently(3, "/c/same", release);
    assertEquals(List.of("answer 1", "answer 1", "answer 1"), replies.stream().map(GatewayFixture.Reply::bodyString).toList());
    assertEquals(List.of("Hit", "Hit", "Miss"), replies.stream().map(ResponseCacheTest::cache).sorted().toList());
    assertEquals(1, app.requests());
  }

  @Test
  void waitingMissesGoUpstreamThemselvesWhenTheFirstAnswerCannotBeStored() {
    Promise<Void> release = startHeld();
    List<GatewayFixture.Reply> replies = concurrently(3, "/c/same?cc=no-store", release);
    assertEquals(List.of("Miss", "Miss", "Miss"), replies.stream().map(ResponseCacheTest::cache).toList());
    assertEquals(3, app.requests());
  }

  /** Starts the gateway over a scripted upstream that holds every answer until the returned promise completes. */
  private Promise<Void> startHeld() {
    Promise<Void> release = Promise.promise();
    var scripted = TestUpstream.scriptedHandler();
    app = gw.upstream("held", request -> release.future().onComplete(v -> scripted.handle(request)));
    start();
    return release;
  }

  /** Sends {@code count} GETs of {@code uri} (route "cached") at once; once the first reached the upstream and the rest wait for it, releases the upstream. */
  private List<GatewayFixture.Reply> concurrently(int count, String uri, Promise<Void> release) {
    List<Future<GatewayFixture.Reply>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, uri), r -> r.send(), GatewayFixture::reply));
    }
    GatewayFixture.awaitCondition("the first miss upstream", GatewayFixture.WAIT, () -> app.requests() >= 1);
    GatewayFixture.awaitCondition("the later misses wait for the first", GatewayFixture.WAIT,
        () -> gw.node().state().services().caches().route("cached").waitingMisses() == count - 1);
    assertEquals(1, app.requests(), "later misses of the key wait for the first");
    release.complete();
    return pending.stream().map(GatewayFixture::await).toList();
  }

  @Test
  void aTruncatedUpstreamBodyIsNeverStored() {
    start();
    for (int i = 1; i <= 2; i++) {
      assertTrue(GatewayFixture.failed(GatewayFixture.exchange(gw.client(), gw.request(HttpMethod.GET, "/c/t?abort=1"),
          r -> r.send(), GatewayFixture::reply)), "the client sees the break");
      assertEquals(i, app.requests());
    }
    assertEquals(0, store().size());
  }

  @Test
  void theLeastRecentlyUsedEntriesAreEvictedWhenTheNodesBudgetIsFull() {
    start("cache: {max_size: 8KB}");
    get("/c/1?size=3000");
    get("/c/2?size=3000");
    assertEquals("Hit", cache(get("/c/1?size=3000")), "/c/1 is now the most recently used");
    get("/c/3?size=3000");
    assertEquals(2, store().size());
    assertTrue(store().bytes() <= 8 * 1024, "stored bytes " + store().bytes());
    assertEquals("Hit", cache(get("/c/1?size=3000")));
    assertEquals("Hit", cache(get("/c/3?size=3000")));
    assertEquals("Miss", cache(get("/c/2?size=3000")), "evicted as the least recently used");
    assertEquals(4, app.requests());
  }

  @Test
  void aBudgetOfZeroTurnsCachingOff() {
    start("cache: {max_size: 0}");
    assertNull(cache(get("/c/x")));
    assertNull(cache(get("/c/x")));
    assertEquals(2, app.requests());
  }

  @Test
  void theAdminApiPurgesOneRouteOrEverythingAndRefusesBadInput() {
    start();
    get("/c/p");
    get("/long/p");
    GatewayFixture.Reply purged = gw.admin(HttpMethod.DELETE, "/admin/cache?route=cached", null);
    assertEquals(200, purged.status(), purged.bodyString());
    assertEquals("cached", purged.json().getString("route"));
    assertEquals(List.of("standalone"), purged.json().getJsonArray("purged").getList());
    assertEquals(1, purged.json().getJsonArray("members").getJsonObject(0).getInteger("entries"));
    assertEquals("Miss", cache(get("/c/p")));
    assertEquals("Hit", cache(get("/long/p")), "another route's entries stay");

    assertEquals(200, gw.admin(HttpMethod.DELETE, "/admin/cache", null).status());
    assertEquals(0, store().size());
    assertEquals("Miss", cache(get("/long/p")));

    GatewayFixture.Reply unknown = gw.admin(HttpMethod.DELETE, "/admin/cache?route=nope", null);
    assertEquals(404, unknown.status());
    assertEquals("unknown_route", unknown.json().getString("error"));
    assertEquals(400, gw.admin(HttpMethod.DELETE, "/admin/cache?route=", null).status());
    assertEquals(400, gw.admin(HttpMethod.DELETE, "/admin/cache?route=%2E%2E%2Fx", null).status());
    GatewayFixture.Reply anonymous = GatewayFixture.send(gw.client(), new io.vertx.core.http.RequestOptions()
        .setMethod(HttpMethod.DELETE).setHost("127.0.0.1").setPort(gw.node().adminPort()).setURI("/admin/cache"), null);
    assertEquals(401, anonymous.status(), "the admin token is required");
  }

  private ResponseStore store() {
    return gw.node().state().services().caches().store();
  }
}
