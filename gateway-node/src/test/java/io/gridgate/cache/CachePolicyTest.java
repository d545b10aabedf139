package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.RoutesYaml;
import io.vertx.core.MultiMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which requests a route's cache looks up, bypasses or refreshes, and how long an upstream answer
 * may be kept: by method, body, credentials, status, {@code Cache-Control}, {@code Pragma},
 * {@code Set-Cookie} and {@code Vary}, with and without {@code respect_cache_control}.
 */
class CachePolicyTest {
  private static final long TTL = TimeUnit.SECONDS.toMillis(30);
  private static final long YEAR = TimeUnit.DAYS.toMillis(365);

  /** The policy of a route whose {@code cache} section is {@code cache} (a flow mapping). */
  static CachePolicy policy(String cache) {
    return new CachePolicy(RoutesYaml.parse("""
        routes:
          - {id: cached, match: {path: {prefix: /}}, upstream: app, cache: %s}
        """.formatted(cache)).get(0).cache());
  }

  private static final CachePolicy DEFAULTS = policy("{ttl: 30s, vary_headers: [Accept-Language]}");
  private static final CachePolicy IGNORING = policy("{ttl: 30s, respect_cache_control: false}");

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static CacheResult request(CachePolicy policy, String method, String... headers) {
    return policy.onRequest(method, headers(headers), false, false);
  }

  @Test
  void getAndHeadAreLookedUpAndOtherMethodsOrBodiesBypass() {
    assertEquals(CacheResult.MISS, request(DEFAULTS, "GET"));
    assertEquals(CacheResult.MISS, request(DEFAULTS, "HEAD"));
    assertEquals(CacheResult.BYPASS, request(DEFAULTS, "POST"));
    assertEquals(CacheResult.BYPASS, request(DEFAULTS, "DELETE"));
    assertEquals(CacheResult.BYPASS, DEFAULTS.onRequest("GET", headers(), true, false), "a GET declaring a body");
    CachePolicy getOnly = policy("{methods: [GET]}");
    assertEquals(CacheResult.BYPASS, request(getOnly, "HEAD"), "methods narrowed to GET");
  }

  @Test
  void credentialsTheGatewayDidNotVerifyBypassAndVerifiedOnesAreLookedUp() {
    assertEquals(CacheResult.BYPASS, request(DEFAULTS, "GET", "Authorization", "Bearer abc"),
        "an answer for an unverified caller must not be shared or served");
    assertEquals(CacheResult.MISS, DEFAULTS.onRequest("GET", headers("Authorization", "Bearer abc"), false, true),
        "an authenticated caller's answers are keyed by who the caller is");
  }

  @Test
  void theClientsCacheControlBypassesOrRefreshesUnlessTheRouteIgnoresIt() {
    assertEquals(CacheResult.BYPASS, request(DEFAULTS, "GET", "Cache-Control", "no-store"));
    assertEquals(CacheResult.REFRESH, request(DEFAULTS, "GET", "Cache-Control", "max-age=0, NO-CACHE"));
    assertEquals(CacheResult.REFRESH, request(DEFAULTS, "GET", "Pragma", "no-cache"));
    assertEquals(CacheResult.MISS, request(DEFAULTS, "GET", "Cache-Control", "max-age=60"));
    assertEquals(CacheResult.MISS, request(IGNORING, "GET", "Cache-Control", "no-store"));
    assertEquals(CacheResult.MISS, request(IGNORING, "GET", "Pragma", "no-cache"));
  }

  @Test
  void onlyListedStatusesWithoutCookiesOrPrivateDirectivesAreKept() {
    assertEquals(TTL, DEFAULTS.lifetimeMillis(200, headers()));
    assertEquals(TTL, DEFAULTS.lifetimeMillis(404, headers()), "a default cacheable status");
    assertEquals(0, DEFAULTS.lifetimeMillis(500, headers()));
    assertEquals(0, policy("{statuses: [200]}").lifetimeMillis(404, headers()));
    assertEquals(0, DEFAULTS.lifetimeMillis(200, headers("Set-Cookie", "session=1")));
    for (String directive : new String[] {"no-store", "no-cache", "private", "Private, max-age=60"}) {
      assertEquals(0, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", directive)), directive);
      assertEquals(0, IGNORING.lifetimeMillis(200, headers("Cache-Control", directive)),
          directive + " is obeyed even when the route ignores the upstream's lifetimes");
    }
  }

  @Test
  void anAnswerVaryingOnHeadersOutsideTheKeyIsNotKept() {
    assertEquals(TTL, DEFAULTS.lifetimeMillis(200, headers("Vary", "accept-language")), "a keyed header");
    assertEquals(0, DEFAULTS.lifetimeMillis(200, headers("Vary", "Accept-Language, Cookie")));
    assertEquals(0, DEFAULTS.lifetimeMillis(200, headers("Vary", "*")));
    assertEquals(0, policy("{}").lifetimeMillis(200, headers("Vary", "Accept-Language")), "no vary_headers declared");
  }

  @Test
  void theUpstreamsLifetimeReplacesTheTtlWhenTheRouteRespectsIt() {
    assertEquals(60_000, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", "public, max-age=60")));
    assertEquals(5_000, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", "max-age=60, s-maxage=5")),
        "s-maxage is the shared cache's lifetime");
    assertEquals(60_000, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", "max-age=\"60\"")));
    assertEquals(0, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", "max-age=soon")), "malformed: already stale");
    assertEquals(YEAR, DEFAULTS.lifetimeMillis(200, headers("Cache-Control", "max-age=99999999999999999999")),
        "beyond a year (even beyond a long) is a year");
    assertEquals(TTL, IGNORING.lifetimeMillis(200, headers("Cache-Control", "max-age=60")));
  }
}
