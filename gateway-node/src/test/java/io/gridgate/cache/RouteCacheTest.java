package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.security.Identity;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.RoutesYaml;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A route's cache on a clock only the test moves: entries are fresh for their lifetime and gone
 * after it, the {@code Age} they report, what goes into a key (query, vary headers, caller, host,
 * the route's definition), and which copies are never stored (too large, truncated, begun before a
 * purge).
 */
class RouteCacheTest {
  private static final String ROUTES = """
      routes:
        - {id: all, match: {path: {prefix: /all}}, upstream: app, cache: {ttl: 30s, vary_headers: [Accept-Language], max_body_size: 8B}}
        - {id: no-query, match: {path: {prefix: /no-query}}, upstream: app, cache: {query: ignore}}
      """;
  private final ManualClock clock = new ManualClock();
  private final ResponseCaches caches = new ResponseCaches(new ResponseStore(1 << 20), CacheMetrics.NONE, clock::nanos);
  private final Map<String, RouteCache> routes = caches.compile(RoutesYaml.parse(ROUTES));
  private final RouteCache all = routes.get("all");

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static String key(RouteCache route, String query, MultiMap headers, Identity caller) {
    return route.key("gw.test", "/all/x", query, headers, caller);
  }

  /** Copies an answer of {@code body} with {@code responseHeaders} into {@code route}'s cache under {@code key}. */
  private static void store(RouteCache route, String key, String body, String... responseHeaders) {
    CacheFill fill = route.fill(key);
    assertTrue(fill.start(200, headers(responseHeaders)), "a storable answer");
    fill.append(Buffer.buffer(body));
    fill.complete();
  }

  private static Identity caller(String consumer) {
    return new Identity(consumer, consumer, Set.of(), Set.of(), Set.of(), new JsonObject().put("iss", "https://idp.test"),
        Identity.Credential.JWT);
  }

  @Test
  void anEntryIsFreshForItsLifetimeOnTheClockAndGoneAfter() {
    String key = key(all, "", headers(), null);
    store(all, key, "hello");
    clock.advanceMillis(29_999);
    CachedResponse fresh = all.lookup(key);
    assertNotNull(fresh, "fresh until the ttl of 30 s is over");
    assertEquals("hello", new String(fresh.body()));
    assertEquals(29, fresh.ageSeconds(clock.nanos()), "the Age header counts whole seconds");

    clock.advanceMillis(1);
    assertNull(all.lookup(key), "30 s old: expired");
    assertEquals(0, caches.store().size(), "and dropped");
  }

  @Test
  void theUpstreamsMaxAgeSetsTheLifetime() {
    String key = key(all, "", headers(), null);
    store(all, key, "short", "Cache-Control", "max-age=2");
    clock.advanceMillis(1_999);
    assertNotNull(all.lookup(key));
    clock.advanceMillis(1);
    assertNull(all.lookup(key), "max-age=2 ended it before the route's ttl");
  }

  @Test
  void aKeyIsMadeOfTheSortedQueryTheVaryHeadersTheCallerAndTheHost() {
    MultiMap english = headers("Accept-Language", "en");
    String base = key(all, "a=1&b=2", english, null);
    assertEquals(base, key(all, "b=2&a=1", english, null), "parameter order does not matter");
    assertNotEquals(base, key(all, "a=1&b=3", english, null));
    assertNotEquals(base, key(all, "a=1&b=2", headers("Accept-Language", "de"), null), "a vary header's value");
    assertEquals(base, key(all, "a=1&b=2", headers("Accept-Language", "en", "Cookie", "x=1"), null),
        "headers outside vary_headers do not matter");
    assertNotEquals(base, key(all, "a=1&b=2", english, caller("acme")), "an authenticated caller has entries of its own");
    assertNotEquals(key(all, "a=1&b=2", english, caller("acme")), key(all, "a=1&b=2", english, caller("other")));
    assertNotEquals(base, all.key("other.test", "/all/x", "a=1&b=2", english, null), "the host");

    RouteCache noQuery = routes.get("no-query");
    assertEquals(noQuery.key("gw.test", "/no-query", "a=1", headers(), null),
        noQuery.key("gw.test", "/no-query", "b=2", headers(), null), "query: ignore");
  }

  @Test
  void aChangedRouteDefinitionNeverServesTheOldEntries() {
    String oldKey = key(all, "", headers(), null);
    store(all, oldKey, "v1");
    Map<String, RouteCache> pushed = caches.compile(RoutesYaml.parse(ROUTES.replace("ttl: 30s", "ttl: 40s")));
    RouteCache redefined = pushed.get("all");
    assertNotEquals(oldKey, key(redefined, "", headers(), null), "a new generation of the route");
    assertNull(all.lookup(oldKey), "the old definition's entries were dropped");
    assertEquals(pushed.get("no-query"), routes.get("no-query"), "an unchanged route keeps its cache");
  }

  @Test
  void copiesTooLargeTruncatedOrBegunBeforeAPurgeAreNotStored() {
    String large = key(all, "large", headers(), null);
    CacheFill tooLarge = all.fill(large);
    assertTrue(tooLarge.start(200, headers()));
    tooLarge.append(Buffer.buffer("12345"));
    tooLarge.append(Buffer.buffer("6789"));
    tooLarge.complete();
    assertNull(all.lookup(large), "9 bytes over max_body_size 8B");

    String declaredTooLarge = key(all, "declared", headers(), null);
    assertFalse(all.fill(declaredTooLarge).start(200, headers("Content-Length", "9")), "refused from the head");

    String truncated = key(all, "truncated", headers(), null);
    CacheFill cut = all.fill(truncated);
    assertTrue(cut.start(200, headers("Content-Length", "8")));
    cut.append(Buffer.buffer("1234"));
    cut.complete();
    assertNull(all.lookup(truncated), "4 of the 8 declared bytes");

    String purged = key(all, "purged", headers(), null);
    CacheFill beforePurge = all.fill(purged);
    assertTrue(beforePurge.start(200, headers()));
    beforePurge.append(Buffer.buffer("old"));
    caches.store().purgeRoute("all");
    beforePurge.complete();
    assertNull(all.lookup(purged), "a purge during the copy wins");
  }
}
