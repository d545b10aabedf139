package io.gridgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.ratelimit.LimitDecision.Outcome;
import io.gridgate.security.Identity;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.RoutesYaml;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The order in which a route's limits are asked and what goes back when a request is refused or its
 * exchange ends: global limits first, the first refusal stops the pass and returns the permits of
 * the limits before it, the limits after it are never asked, and a concurrency slot is held until
 * the exchange ends (or returned at once when a later limit refuses). Local limits on a clock that
 * only the test moves, so window boundaries never fall inside a test.
 */
class RouteRateLimitsTest {
  private static final String CLIENT = "192.0.2.7";
  private final ManualClock clock = new ManualClock();
  private final RateLimiters limiters = new RateLimiters(null, null, ClusterView.alone(), LimiterMetrics.NONE,
      clock.nodeClock());

  /**
   * The limits of two routes under one global limit: route {@code id} (path {@code /id}) with its
   * own limit {@code routeLimit}, and route {@code plain} with none (limits are YAML flow mappings).
   */
  private Map<String, RouteRateLimits> routes(String globalLimit, String id, String routeLimit) {
    return limiters.compile(RoutesYaml.parse("""
        rate_limits: [%s]
        routes:
          - {id: %s, match: {path: {prefix: /%s}}, upstream: app, rate_limits: [%s]}
          - {id: plain, match: {path: {prefix: /plain}}, upstream: app}
        """.formatted(globalLimit, id, id, routeLimit)));
  }

  /** {@link #routes} with route {@code strict} admitting one request per 100 s. */
  private Map<String, RouteRateLimits> strictUnder(String globalLimit) {
    return routes(globalLimit, "strict", "{name: once, algorithm: fixed_window, limit: 1, window: 100s}");
  }

  private static RateLimitVerdict check(RouteRateLimits limits, Identity identity) {
    Future<RateLimitVerdict> verdict = limits.check(CLIENT, identity, "/", MultiMap.caseInsensitiveMultiMap());
    assertTrue(verdict.succeeded(), "local limits decide synchronously");
    return verdict.result();
  }

  private static RateLimitVerdict check(RouteRateLimits limits) {
    return check(limits, null);
  }

  private static void assertRefusedBy(String limitId, RateLimitVerdict verdict) {
    assertEquals(Outcome.REJECTED, verdict.decision().outcome(), "refused");
    assertEquals(limitId, verdict.limitId());
    assertNull(verdict.onEnd(), "a refused request holds nothing");
  }

  private long decisions(String limitId) {
    LimiterStats stats = limiters.stats().get(limitId);
    return stats.allowed() + stats.rejected();
  }

  @Test
  void aLaterLimitsRefusalGivesTheEarlierPermitsBack() {
    Map<String, RouteRateLimits> routes = strictUnder("{name: shared, algorithm: fixed_window, limit: 3, window: 100s}");
    RateLimitVerdict first = check(routes.get("strict"));
    assertTrue(first.allowed());
    assertEquals(0, first.decision().remaining(), "the tightest limit speaks for the route: strict.once");
    for (int i = 0; i < 5; i++) {
      assertRefusedBy("strict.once", check(routes.get("strict")));
    }

    RouteRateLimits loose = routes.get("plain");
    assertEquals(1, check(loose).decision().remaining(), "the five refusals took nothing from global.shared");
    assertEquals(0, check(loose).decision().remaining());
    assertRefusedBy("global.shared", check(loose));
  }

  @Test
  void globalLimitsComeFirstAndTheLimitsAfterARefusalAreNeverAsked() {
    Map<String, RouteRateLimits> routes = routes(
        "{name: gate, algorithm: fixed_window, limit: 1, window: 100s}",
        "api", "{name: own, algorithm: token_bucket, limit: 5, window: 100s}");
    assertTrue(check(routes.get("api")).allowed());
    for (int i = 0; i < 3; i++) {
      assertRefusedBy("global.gate", check(routes.get("api")));
    }
    assertEquals(4, decisions("global.gate"), "the global limit decided every request");
    assertEquals(1, decisions("api.own"), "the route's own limit was asked only while the global one allowed");
  }

  @Test
  void aConcurrencySlotIsHeldUntilTheExchangeEndsAndARefusalReturnsTheRatePermitAtOnce() {
    Map<String, RouteRateLimits> routes = routes(
        "{name: hourly, algorithm: fixed_window, limit: 5, window: 100s}",
        "held", "{name: one-at-a-time, algorithm: concurrency, limit: 1}");
    RouteRateLimits held = routes.get("held");
    RateLimitVerdict running = check(held);
    assertTrue(running.allowed());
    assertNotNull(running.onEnd(), "the slot goes back when the exchange ends");

    assertRefusedBy("held.one-at-a-time", check(held));
    running.onEnd().run();
    RateLimitVerdict next = check(held);
    assertTrue(next.allowed(), "the ended exchange freed its slot");
    next.onEnd().run();

    RouteRateLimits plain = routes.get("plain");
    assertEquals(2, check(plain).decision().remaining(), "two admitted through held, the refused one gave its permit back");
    assertNull(check(plain).onEnd(), "a route without a concurrency limit holds nothing until the end");
  }

  @Test
  void aLaterRefusalGivesAConcurrencySlotBackAtOnce() {
    Map<String, RouteRateLimits> routes = strictUnder("{name: in-flight, algorithm: concurrency, limit: 1}");
    RateLimitVerdict admitted = check(routes.get("strict"));
    assertTrue(admitted.allowed());
    admitted.onEnd().run();

    assertRefusedBy("strict.once", check(routes.get("strict")));
    RateLimitVerdict plain = check(routes.get("plain"));
    assertTrue(plain.allowed(), "the refused request's slot came back without waiting for an exchange end");
    assertRefusedBy("global.in-flight", check(routes.get("plain")));
  }

  @Test
  void aRefusalGivesBackToTheTierTheConsumerWasCountedIn() {
    Map<String, RouteRateLimits> routes = routes(
        "{name: per-consumer, algorithm: fixed_window, limit: 1, window: 100s, key: consumer, tiers: {gold: 3}}",
        "strict", "{name: once, algorithm: fixed_window, limit: 1, window: 100s, key: consumer}");
    Identity gold = new Identity("acme", "acme", Set.of("gold"), Set.of(), Set.of(), null, Identity.Credential.API_KEY);
    assertTrue(check(routes.get("strict"), gold).allowed());
    assertRefusedBy("strict.once", check(routes.get("strict"), gold));

    RouteRateLimits plain = routes.get("plain");
    assertEquals(1, check(plain, gold).decision().remaining(), "gold's limit of 3: one spent, the refused one returned");
    assertEquals(0, check(plain, gold).decision().remaining());
    assertRefusedBy("global.per-consumer@gold", check(plain, gold));
    assertTrue(check(plain, null).allowed(), "requests without an identity count in the default tier's own bucket");
  }

  @Test
  void aLeakyBucketDelaysWithinItsBurstOnTheClockAndTheRouteWaitsForTheLongestDelay() {
    Map<String, RouteRateLimits> routes = routes(
        "{name: hourly, algorithm: fixed_window, limit: 100, window: 100s}",
        "paced", "{name: pace, algorithm: leaky_bucket, limit: 1, window: 1s, burst: 2, scope: local}");
    RouteRateLimits paced = routes.get("paced");
    assertEquals(0, check(paced).delayMillis());
    assertEquals(1000, check(paced).delayMillis(), "the second waits for the first's slot");
    assertEquals(2000, check(paced).delayMillis());
    assertRefusedBy("paced.pace", check(paced));
    assertRefusedBy("paced.pace", check(paced));

    clock.advanceMillis(1000);
    assertEquals(2000, check(paced).delayMillis(), "a second later one slot has leaked: the queue has room for one");
    assertEquals(95, check(routes.get("plain")).decision().remaining(),
        "4 admitted through paced and this one; the 2 refused returned their hourly permits");
  }
}
