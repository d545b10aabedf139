package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Load balancing strategies over real upstream servers: round robin, smooth weighted and consistent hashing. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadBalancingTest {
  private GatewayFixture gw;
  private TestUpstream a;
  private TestUpstream b;
  private TestUpstream c;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    a = gw.echoUpstream("a");
    b = gw.echoUpstream("b");
    c = gw.echoUpstream("c");
  }

  /**
   * Starts a gateway whose catch-all route uses upstream {@code pool}, configured with {@code settings}
   * (YAML lines such as {@code strategy: round_robin}) over {@code targets} (see {@link #target}).
   */
  private void startPool(String settings, String... targets) {
    String upstreamBody = settings.stripTrailing() + "\ntargets: [" + String.join(", ", targets) + "]\n";
    gw.startGateway(GatewayFixture.nodeYaml() + "upstreams:\n  pool:\n" + upstreamBody.indent(4) + """
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: pool}
        """);
  }

  private static String target(TestUpstream upstream) {
    return "{address: \"" + upstream.address() + "\"}";
  }

  private static String target(TestUpstream upstream, int weight) {
    return "{address: \"" + upstream.address() + "\", weight: " + weight + "}";
  }

  private List<String> servedBy(int requests, Map<String, String> headers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/lb/" + i, headers, null);
      assertEquals(200, reply.status());
      out.add(reply.servedBy());
    }
    return out;
  }

  @Test
  void roundRobinTakesTargetsInTurn() {
    startPool("strategy: round_robin", target(a), target(b), target(c));

    List<String> order = servedBy(30, Map.of());

    assertEquals(List.of("a", "b", "c", "a", "b", "c"), order.subList(0, 6));
    assertEquals(List.of(10, 10, 10), TestUpstream.requestCounts(a, b, c));
  }

  @Test
  void roundRobinIgnoresWeights() {
    startPool("strategy: round_robin", target(a, 5), target(b));

    servedBy(20, Map.of());

    assertEquals(List.of(10, 10), TestUpstream.requestCounts(a, b));
  }

  @Test
  void weightedRoundRobinSplitsThreeToOneInterleaved() {
    startPool("strategy: weighted_round_robin", target(a, 3), target(b, 1));

    List<String> order = servedBy(40, Map.of());

    assertEquals(List.of(30, 10), TestUpstream.requestCounts(a, b));
    for (int window = 0; window < 40; window += 4) {
      List<String> four = order.subList(window, window + 4);
      assertEquals(1, four.stream().filter("b"::equals).count(), "every 4 picks hold exactly one b: " + order);
    }
  }

  @Test
  void consistentHashOnAHeaderSticksEachKeyToOneTargetAndSpreadsKeys() {
    startPool("""
        strategy: consistent_hash
        hash_on: {header: X-User}
        """, target(a), target(b), target(c));

    Map<String, String> targetOf = stickyTargets(user -> Map.of("X-User", user));

    assertEquals(3, new HashSet<>(targetOf.values()).size(), "30 users spread over all 3 targets: " + targetOf);
  }

  @Test
  void consistentHashOnACookieSticksEachKeyToOneTarget() {
    startPool("""
        strategy: consistent_hash
        hash_on: {cookie: SESSION}
        """, target(a), target(b), target(c));

    Map<String, String> targetOf = stickyTargets(user -> Map.of("Cookie", "theme=dark; SESSION=" + user + "; lang=en"));

    assertTrue(new HashSet<>(targetOf.values()).size() >= 2, "sessions spread: " + targetOf);
  }

  /** Sends three rounds for 30 keys; every key must land on the same target each time. */
  private Map<String, String> stickyTargets(Function<String, Map<String, String>> headersFor) {
    Map<String, String> targetOf = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 30; k++) {
        String key = "user-" + k;
        String target = servedBy(1, headersFor.apply(key)).get(0);
        String first = targetOf.putIfAbsent(key, target);
        if (first != null) {
          assertEquals(first, target, key + " moved between requests");
        }
      }
    }
    return targetOf;
  }

  @Test
  void consistentHashRemapsOnlyTheKeysOfATargetThatLeaves() {
    startPool("""
        strategy: consistent_hash
        hash_on: {header: X-User}
        health_check: {passive: {max_failures: 1, ejection: 1m}}
        """, target(a), target(b), target(c));
    Map<String, String> before = stickyTargets(user -> Map.of("X-User", user));
    assertTrue(before.containsValue("c"), "some keys must live on c: " + before);

    c.close();
    Map<String, String> after = new HashMap<>();
    for (String key : before.keySet()) {
      // The first request of a key held by c fails over (retry) and ejects c.
      after.put(key, servedBy(1, Map.of("X-User", key)).get(0));
    }

    for (Map.Entry<String, String> e : before.entrySet()) {
      if (e.getValue().equals("c")) {
        assertNotEquals("c", after.get(e.getKey()));
      } else {
        assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " was not on c and must not move");
      }
    }
  }
}
