package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.PassiveHealthCheck;
import io.gridgate.config.TargetSpec;
import io.gridgate.config.UpstreamSpec.BalancingStrategy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Target selection of every balancing strategy, and passive ejection / active health of targets. */
class LoadBalancerTest {
  /** An arbitrary clock reading; every test passes explicit nanoTime values. */
  private static final long T0 = 1_000_000_000_000L;
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  /** Eject after 3 consecutive failures for 10s, doubling up to 60s. */
  private static final PassiveHealthCheck PASSIVE = new PassiveHealthCheck(3, Duration.ofSeconds(10), Duration.ofSeconds(60));

  @Test
  void roundRobinCyclesThroughTargetsInOrder() {
    Target[] targets = targets(1, 1, 1);

    assertEquals("abcabcabc", picks(balancer(BalancingStrategy.ROUND_ROBIN, targets), 9));
  }

  @Test
  void roundRobinSkipsUnavailableTargets() {
    Target[] targets = targets(1, 1, 1);
    eject(targets[1], T0);

    String picks = picks(balancer(BalancingStrategy.ROUND_ROBIN, targets), 30);

    assertFalse(picks.contains("b"), picks);
    assertTrue(picks.contains("a") && picks.contains("c"), picks);
  }

  @Test
  void roundRobinSkipsTargetsAlreadyTried() {
    Target[] targets = targets(1, 1, 1);
    LoadBalancer rr = balancer(BalancingStrategy.ROUND_ROBIN, targets);

    for (int i = 0; i < 6; i++) {
      assertNotEquals(targets[0], rr.pick(null, Set.of(targets[0]), T0));
      assertSame(targets[2], rr.pick(null, Set.of(targets[0], targets[1]), T0));
    }
  }

  @Test
  void smoothWeightedGivesNginxInterleavedSequence() {
    LoadBalancer swrr = balancer(BalancingStrategy.WEIGHTED_ROUND_ROBIN, targets(5, 1, 1));

    assertEquals("aabacaa" + "aabacaa" + "aabacaa", picks(swrr, 21));
  }

  @Test
  void smoothWeightedHonoursProportionsExactly() {
    LoadBalancer swrr = balancer(BalancingStrategy.WEIGHTED_ROUND_ROBIN, targets(5, 1, 1));

    assertEquals(Map.of('a', 5000, 'b', 1000, 'c', 1000), counts(picks(swrr, 7000)));
  }

  @Test
  void smoothWeightedSharesAmongAvailableTargetsOnly() {
    Target[] targets = targets(5, 1, 1);
    eject(targets[0], T0);

    assertEquals("bcbcbcbc", picks(balancer(BalancingStrategy.WEIGHTED_ROUND_ROBIN, targets), 8));
  }

  @Test
  void leastConnectionsPrefersFewestRequestsInFlight() {
    Target[] targets = targets(1, 1, 1);
    LoadBalancer lc = balancer(BalancingStrategy.LEAST_CONNECTIONS, targets);
    begin(targets[0], 2);
    begin(targets[2], 1);

    assertSame(targets[1], lc.pick(null, Set.of(), T0));
    begin(targets[1], 2);
    assertSame(targets[2], lc.pick(null, Set.of(), T0));
    targets[0].end();
    targets[0].end();
    assertEquals(0, targets[0].inFlight());
    assertSame(targets[0], lc.pick(null, Set.of(), T0));
  }

  @Test
  void leastConnectionsWeighsInFlightByWeightAndSkipsUnavailable() {
    Target[] targets = targets(3, 1, 1);
    begin(targets[0], 2); // 2/3
    begin(targets[1], 1); // 1/1
    LoadBalancer lc = balancer(BalancingStrategy.LEAST_CONNECTIONS, targets);
    eject(targets[2], T0); // idle but ejected

    for (int i = 0; i < 6; i++) {
      assertSame(targets[0], lc.pick(null, Set.of(), T0));
    }
    assertSame(targets[1], lc.pick(null, Set.of(targets[0]), T0));
  }

  @Test
  void leastConnectionsSpreadsTiesRoundRobin() {
    LoadBalancer lc = balancer(BalancingStrategy.LEAST_CONNECTIONS, targets(1, 1, 1));

    assertEquals(Map.of('a', 100, 'b', 100, 'c', 100), counts(picks(lc, 300)));
  }

  @Test
  void consistentHashSendsTheSameKeyToTheSameTargetOnEveryNode() {
    LoadBalancer ring = balancer(BalancingStrategy.CONSISTENT_HASH, targets(1, 1, 1));
    LoadBalancer otherNode = balancer(BalancingStrategy.CONSISTENT_HASH, targets(1, 1, 1));

    for (int i = 0; i < 1000; i++) {
      String key = "user-" + i;
      Target first = ring.pick(key, Set.of(), T0);
      assertSame(first, ring.pick(key, Set.of(), T0), key);
      assertEquals(first.spec(), otherNode.pick(key, Set.of(), T0).spec(), key);
    }
    assertSame(ring.pick("", Set.of(), T0), ring.pick(null, Set.of(), T0));
  }

  @Test
  void consistentHashSpreadsKeysRoughlyEvenly() {
    Target[] targets = targets(1, 1, 1);

    Map<Character, Integer> counts = counts(assign(balancer(BalancingStrategy.CONSISTENT_HASH, targets), 10_000));

    assertEquals(Set.of('a', 'b', 'c'), counts.keySet());
    counts.forEach((name, n) -> assertTrue(n >= 2500 && n <= 4200, name + " got " + n + " of 10000: " + counts));
  }

  @Test
  void consistentHashMovesOnlyTheKeysOfATargetThatLeaves() {
    Target[] targets = targets(1, 1, 1);
    LoadBalancer ring = balancer(BalancingStrategy.CONSISTENT_HASH, targets);
    String before = assign(ring, 10_000);

    eject(targets[1], T0);
    String during = assign(ring, 10_000);

    Map<Character, Integer> movedTo = new TreeMap<>();
    for (int i = 0; i < before.length(); i++) {
      if (before.charAt(i) == 'b') {
        assertNotEquals('b', during.charAt(i), "key " + i + " still on the ejected target");
        movedTo.merge(during.charAt(i), 1, Integer::sum);
      } else {
        assertEquals(before.charAt(i), during.charAt(i), "key " + i + " moved although its target stayed");
      }
    }
    int moved = counts(before).get('b');
    assertEquals(Set.of('a', 'c'), movedTo.keySet());
    movedTo.forEach((name, n) -> assertTrue(n > moved / 5, "moved keys bunch up: " + movedTo));
    assertEquals(before, assign(ring, 10_000, T0 + PASSIVE.baseEjection().toNanos()), "keys return after the ejection");
  }

  @ParameterizedTest
  @EnumSource(BalancingStrategy.class)
  void noTargetAvailableGivesNull(BalancingStrategy strategy) {
    Target[] targets = targets(1, 2, 3);
    LoadBalancer balancer = balancer(strategy, targets);

    assertNull(balancer.pick("key", Set.of(targets), T0), "all tried");
    Arrays.stream(targets).forEach(t -> eject(t, T0));
    assertNull(balancer.pick("key", Set.of(), T0), "all ejected");
    assertNotNull(balancer.pick("key", Set.of(), T0 + PASSIVE.baseEjection().toNanos()), "ejection over");
  }

  @Test
  void consecutiveFailuresEjectForTheBaseEjectionTime() {
    Target target = targets(1)[0];

    target.recordFailure(T0);
    target.recordFailure(T0);
    assertTrue(target.isAvailable(T0));
    target.recordFailure(T0);

    assertFalse(target.isAvailable(T0));
    assertTrue(target.isEjected(T0));
    assertFalse(target.isAvailable(T0 + 10 * SECOND - 1));
    assertTrue(target.isAvailable(T0 + 10 * SECOND));
    assertFalse(target.isEjected(T0 + 10 * SECOND));
  }

  @Test
  void failuresWhileEjectedDoNotCount() {
    Target target = targets(1)[0];
    eject(target, T0);

    eject(target, T0 + 5 * SECOND);

    assertTrue(target.isAvailable(T0 + 10 * SECOND));
  }

  @Test
  void repeatedEjectionsDoubleUpToTheMaximum() {
    Target target = targets(1)[0];
    long now = T0;

    for (long seconds : new long[] {10, 20, 40, 60, 60}) {
      eject(target, now);
      long until = now + seconds * SECOND;
      assertFalse(target.isAvailable(until - 1), "ejection of " + seconds + "s ended early");
      assertTrue(target.isAvailable(until), "ejection of " + seconds + "s lasted too long");
      now = until;
    }
  }

  @Test
  void longEjectionsNeverOverflowIntoNoEjection() {
    PassiveHealthCheck hours = new PassiveHealthCheck(1, Duration.ofHours(3), Duration.ofDays(30));
    Target target = new Target(new TargetSpec("a", 8080, 1), hours);
    long now = T0;
    for (int i = 0; i < 40; i++) {
      target.recordFailure(now);
      assertTrue(target.isEjected(now), "ejection " + i + " must hold");
      now += Duration.ofDays(30).toNanos();
    }
  }

  @Test
  void successResetsFailureCountAndBackoff() {
    Target target = targets(1)[0];
    target.recordFailure(T0);
    target.recordFailure(T0);
    target.recordSuccess();
    target.recordFailure(T0);
    target.recordFailure(T0);
    assertTrue(target.isAvailable(T0), "failures before a success must not count");

    eject(target, T0);                     // 10s
    eject(target, T0 + 10 * SECOND);       // 20s
    target.recordSuccess();
    long now = T0 + 30 * SECOND;
    eject(target, now);

    assertFalse(target.isAvailable(now + 10 * SECOND - 1));
    assertTrue(target.isAvailable(now + 10 * SECOND), "a success must reset the backoff to the base ejection");
  }

  @Test
  void zeroMaxFailuresDisablesEjection() {
    Target target = new Target(new TargetSpec("a", 80, 1), new PassiveHealthCheck(0, Duration.ofSeconds(10), Duration.ofSeconds(60)));

    for (int i = 0; i < 100; i++) {
      target.recordFailure(T0);
    }

    assertTrue(target.isAvailable(T0));
  }

  @Test
  void ejectionWorksWhateverTheSignOfNanoTime() {
    // System.nanoTime() has an arbitrary origin and may be negative.
    long now = -50 * SECOND;
    Target target = targets(1)[0];
    assertTrue(target.isAvailable(now), "a fresh target is available");
    assertTrue(target.isAvailable(Long.MIN_VALUE + 1), "a fresh target is available");

    eject(target, now);

    assertFalse(target.isAvailable(now + 10 * SECOND - 1));
    assertTrue(target.isAvailable(now + 10 * SECOND));
  }

  @Test
  void activeProbesFlipHealthAfterConsecutiveResults() {
    Target target = targets(1)[0];

    target.recordProbe(false, 2, 3);
    target.recordProbe(false, 2, 3);
    target.recordProbe(true, 2, 3);
    target.recordProbe(false, 2, 3);
    target.recordProbe(false, 2, 3);
    assertTrue(target.isAvailable(T0), "failures interrupted by a success must not count");
    target.recordProbe(false, 2, 3);
    assertFalse(target.isAvailable(T0));
    assertFalse(target.isActiveHealthy());

    target.recordProbe(true, 2, 3);
    assertFalse(target.isAvailable(T0));
    target.recordProbe(true, 2, 3);
    assertTrue(target.isAvailable(T0));
  }

  /** Targets named a, b, c, ... (host name = letter) with the given weights and {@link #PASSIVE} ejection. */
  private static Target[] targets(int... weights) {
    Target[] targets = new Target[weights.length];
    for (int i = 0; i < weights.length; i++) {
      targets[i] = new Target(new TargetSpec(String.valueOf((char) ('a' + i)), 8080, weights[i]), PASSIVE);
    }
    return targets;
  }

  private static LoadBalancer balancer(BalancingStrategy strategy, Target[] targets) {
    return LoadBalancer.create(strategy, targets);
  }

  /** Records enough consecutive failures to eject the target (if it is not ejected already). */
  private static void eject(Target target, long now) {
    for (int i = 0; i < PASSIVE.maxFailures(); i++) {
      target.recordFailure(now);
    }
  }

  private static void begin(Target target, int exchanges) {
    for (int i = 0; i < exchanges; i++) {
      target.begin();
    }
  }

  /** The names of {@code n} successive picks at {@link #T0}, e.g. {@code "aabacaa"}. */
  private static String picks(LoadBalancer balancer, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(name(balancer.pick(null, Set.of(), T0)));
    }
    return out.toString();
  }

  /** The target name for each of the keys {@code user-0 .. user-(n-1)}, in key order. */
  private static String assign(LoadBalancer balancer, int keys) {
    return assign(balancer, keys, T0);
  }

  private static String assign(LoadBalancer balancer, int keys, long now) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < keys; i++) {
      out.append(name(balancer.pick("user-" + i, Set.of(), now)));
    }
    return out.toString();
  }

  private static char name(Target target) {
    return target == null ? '-' : target.spec().host().charAt(0);
  }

  private static Map<Character, Integer> counts(String names) {
    Map<Character, Integer> counts = new HashMap<>();
    names.chars().forEach(c -> counts.merge((char) c, 1, Integer::sum));
    return counts;
  }
}
