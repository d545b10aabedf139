package io.gridgate.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.gridgate.grid.GridCallMetrics;
import io.gridgate.grid.GridCalls;
import io.gridgate.grid.GridNames;
import io.gridgate.grid.HazelcastBucketStore;
import io.gridgate.ratelimit.LimitDecision.Outcome;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.GridMembers;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.RoutesYaml;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Leases of a cluster limit on a real Hazelcast member: a quiet key takes one permit per grid call,
 * a busy key leases a batch and spends it without the grid, leased permits lapse with their
 * window, idle ones go back after half a second, every lease goes back when its limit is dropped,
 * and a grid that misses its deadline is handled by the limit's {@code on_grid_failure}. Two
 * limiters on one bucket play two nodes. The nodes and the bucket's owner read one
 * {@link ManualClock}; only the grid deadline itself is a real timer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterLimiterTest {
  private static final ManualClock CLOCK = new ManualClock();
  private static final NodeClock NODE_CLOCK = CLOCK.nodeClock();
  private static GridMembers grid;
  private static Vertx vertx;
  private static BucketStore store;
  private static Context loop;
  /** A fresh bucket name per test: buckets outlive the tests in the shared member. */
  private static int keys;

  @BeforeAll
  static void startMember() throws Exception {
    grid = new GridMembers(1, CLOCK);
    vertx = Vertx.vertx();
    store = new HazelcastBucketStore(new GridCalls(vertx, GridCallMetrics.NONE), grid.member(0));
    loop = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stopMember() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    grid.close();
  }

  /** The first limit of a route {@code api} declared by {@code limit} (a flow mapping). */
  private static RateLimitSpec spec(String limit) {
    return RoutesYaml.parse("""
        routes:
          - {id: api, match: {path: {prefix: /}}, upstream: app, rate_limits: [%s]}
        """.formatted(limit)).get(0).rateLimits().get(0);
  }

  /** A node's limiter of {@code spec} in a cluster of {@code members}. */
  private static ClusterLimiter node(RateLimitSpec spec, int members) {
    return new ClusterLimiter(vertx, spec, store, new ClusterView(() -> members, () -> false), NODE_CLOCK);
  }

  private static String freshKey() {
    return "client-" + ++keys;
  }

  /** One request of {@code key} decided on the event loop, as the gateway decides it. */
  private static LimitDecision take(Limiter limiter, String key) {
    return onLoop(() -> limiter.acquire(key));
  }

  /** Runs {@code call} on the event loop and waits for its future (a grid key locked by the test thread blocks it). */
  private static <T> T onLoop(Supplier<Future<T>> call) {
    Promise<T> answered = Promise.promise();
    loop.runOnContext(v -> call.get().onComplete(answered));
    return await(answered.future());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Admits {@code count} requests of {@code key}, one per 10 ms of the clock: a busy key. */
  private static void busy(Limiter limiter, String key, int count) {
    for (int i = 0; i < count; i++) {
      assertTrue(take(limiter, key).isAllowed(), "request " + i);
      CLOCK.advanceMillis(10);
    }
  }

  /** Requests of {@code key} alternating between the nodes until both refuse; how many were admitted. */
  private static int admittedUntilRefused(String key, Limiter... nodes) {
    int admitted = 0;
    int refusedInARow = 0;
    for (int i = 0; refusedInARow < nodes.length; i++) {
      boolean allowed = take(nodes[i % nodes.length], key).isAllowed();
      admitted += allowed ? 1 : 0;
      refusedInARow = allowed ? 0 : refusedInARow + 1;
    }
    return admitted;
  }

  private static IMap<String, long[]> buckets() {
    return grid.member(0).getMap(GridNames.RATE_LIMIT_BUCKETS);
  }

  /** Waits until the owner's state of {@code key}'s bucket differs from {@code before} (a give-back landed). */
  private static void awaitBucketChanged(RateLimitSpec spec, String key, long[] before) {
    GatewayFixture.awaitCondition("the bucket of " + key + " changed", Duration.ofSeconds(20),
        () -> !Arrays.equals(before, buckets().get(BucketNames.bucket(spec, key))));
  }

  /** Moves the clock to the start of the next 100 s window. */
  private static void toAWindowStart() {
    CLOCK.advance(Duration.ofMillis(100_000 - CLOCK.millis() % 100_000));
  }

  @Test
  void aQuietKeyTakesOnePermitPerGridCallAndAnEmptyBucketIsRefusedWithoutOne() {
    ClusterLimiter node = node(spec("{name: quiet, algorithm: fixed_window, limit: 3, window: 100s}"), 1);
    String key = freshKey();
    toAWindowStart();
    for (int left = 2; left >= 0; left--) {
      LimitDecision decision = take(node, key);
      assertTrue(decision.isAllowed());
      assertEquals(left, decision.remaining(), "the cluster's count, as of this request");
    }
    assertEquals(3, node.stats().gridCalls(), "one permit per call: no request was seen as busy");

    for (int i = 0; i < 3; i++) {
      LimitDecision refused = take(node, key);
      assertEquals(Outcome.REJECTED, refused.outcome());
      assertEquals(100_000, refused.retryAfterMillis(), "the bucket refills when its window ends");
    }
    assertEquals(3, node.stats().gridCalls(), "the last grant said empty until the window's end: refused without asking");
    CLOCK.advance(Duration.ofSeconds(100));
    assertEquals(2, take(node, key).remaining(), "the next window");
  }

  @Test
  void aBusyKeyLeasesABatchThatTheOtherNodesCannotSpendAndNothingIsLeftOver() {
    RateLimitSpec spec = spec("{name: busy, algorithm: fixed_window, limit: 200, window: 100s}");
    ClusterLimiter nodeA = node(spec, 2);
    ClusterLimiter nodeB = node(spec, 2);
    String key = freshKey();
    busy(nodeA, key, 60);
    long calls = nodeA.stats().gridCalls();
    assertTrue(calls <= 10, "60 requests of a busy key cost " + calls + " grid calls");

    LimitDecision onB = take(nodeB, key);
    assertTrue(onB.remaining() <= 200 - 60 - 1, "B sees A's leased permits as taken: " + onB.remaining() + " left");
    assertEquals(200 - 61, admittedUntilRefused(key, nodeA, nodeB), "the two nodes admit exactly the limit");
  }

  @Test
  void leasedPermitsLapseWhenTheirWindowEnds() {
    RateLimitSpec spec = spec("{name: lapsing, algorithm: fixed_window, limit: 200, window: 100s}");
    ClusterLimiter node = node(spec, 1);
    String key = freshKey();
    toAWindowStart();
    busy(node, key, 30);
    long calls = node.stats().gridCalls();
    LimitDecision leased = take(node, key);
    assertEquals(calls, node.stats().gridCalls(), "spent from the lease");

    CLOCK.advance(Duration.ofSeconds(100));
    LimitDecision next = take(node, key);
    assertEquals(calls + 1, node.stats().gridCalls(), "the lease of the last window is void: the owner is asked");
    assertTrue(leased.remaining() < 199, "the lease was spent in the last window");
    assertEquals(199, next.remaining(), "a fresh window, one permit of it taken");
  }

  @Test
  void permitsIdleForHalfASecondGoBackToTheBucket() {
    RateLimitSpec spec = spec("{name: idle, algorithm: token_bucket, limit: 200, window: 1h}");
    ClusterLimiter node = node(spec, 2);
    String key = freshKey();
    busy(node, key, 30);
    long[] leased = buckets().get(BucketNames.bucket(spec, key));

    CLOCK.advanceMillis(400);
    node.sweep();
    assertEquals(2, node.stats().gridCalls(), "400 ms without a request: the lease (1 permit, then a batch) is kept");
    CLOCK.advanceMillis(200);
    node.sweep();
    assertEquals(3, node.stats().gridCalls(), "600 ms: the unspent permits go back in one call");
    awaitBucketChanged(spec, key, leased);

    assertEquals(200 - 30 - 1, take(node(spec, 2), key).remaining(), "another node sees only the 30 spent");
  }

  @Test
  void aLimitDroppedByAPushGivesItsLeasesBackAndStoppingGivesBackTheRest() {
    String dropping = "{name: dropped, algorithm: fixed_window, limit: 200, window: 100s, key: \"header:X-Client\"}, ";
    String declared = """
        routes:
          - id: api
            match: {path: {prefix: /}}
            upstream: app
            rate_limits: [DROPPED{name: kept, algorithm: fixed_window, limit: 200, window: 100s, key: "header:X-Client"}]
        """;
    RateLimiters limiters = new RateLimiters(vertx, store, ClusterView.alone(), LimiterMetrics.NONE, NODE_CLOCK);
    Map<String, RouteRateLimits> routes = limiters.compile(RoutesYaml.parse(declared.replace("DROPPED", dropping)));
    String key = freshKey();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Client", key);
    for (int i = 0; i < 30; i++) {
      assertTrue(onLoop(() -> routes.get("api").check("192.0.2.1", null, "/", headers)).allowed());
      CLOCK.advanceMillis(10);
    }
    RateLimitSpec dropped = RoutesYaml.parse(declared.replace("DROPPED", dropping)).get(0).rateLimits().get(0);
    RateLimitSpec kept = RoutesYaml.parse(declared.replace("DROPPED", "")).get(0).rateLimits().get(0);
    long[] droppedBefore = buckets().get(BucketNames.bucket(dropped, key));
    long[] keptBefore = buckets().get(BucketNames.bucket(kept, key));

    limiters.compile(RoutesYaml.parse(declared.replace("DROPPED", "")));
    awaitBucketChanged(dropped, key, droppedBefore);
    assertEquals(200 - 30 - 1, take(node(dropped, 1), key).remaining(), "the dropped limit's lease went back");
    assertTrue(Arrays.equals(keptBefore, buckets().get(BucketNames.bucket(kept, key))), "the kept limit keeps its lease");

    limiters.stop();
    awaitBucketChanged(kept, key, keptBefore);
    assertEquals(200 - 30 - 1, take(node(kept, 1), key).remaining(), "a stopping node gives back every lease");
  }

  @Test
  void failingOpenAdmitsTheNodesShareWithoutTheGridAndChargesItWithTheNextCall() {
    RateLimitSpec spec = spec("{name: open, algorithm: fixed_window, limit: 10, window: 100s, grid_timeout: 200ms}");
    ClusterLimiter node = node(spec, 2);
    String key = freshKey();
    String bucket = BucketNames.bucket(spec, key);
    buckets().lock(bucket);
    try {
      LimitDecision first = take(node, key);
      assertTrue(first.isAllowed(), "the call missed its deadline: decided on the node's share");
      assertEquals(1, node.stats().gridFailures());
      for (int i = 0; i < 4; i++) {
        assertTrue(take(node, key).isAllowed(), "share of " + (i + 2) + " within 10 / 2");
      }
      assertEquals(Outcome.REJECTED, take(node, key).outcome(), "the node's share is 10 / 2 members");
      assertEquals(1, node.stats().gridCalls(), "no call while the grid is held down (a second on the node's clock)");
      assertEquals(6, node.stats().failedOpen());
    } finally {
      buckets().unlock(bucket);
    }
    GatewayFixture.awaitCondition("the call that missed its deadline ran once the key was free", Duration.ofSeconds(20),
        () -> buckets().get(bucket) != null);

    CLOCK.advanceMillis(GridFailurePolicy.RETRY_GRID_MILLIS);
    LimitDecision charged = take(node, key);
    assertEquals(2, node.stats().gridCalls(), "a second later the grid is asked again");
    // 10 - 5 admitted on the share (charged with this call) - 1 for this request - 1 that the call
    // which missed its deadline still took once the key was free: a permit lost to the window
    assertEquals(3, charged.remaining(), "the share's admissions count in the bucket: " + charged.remaining());
  }

  @Test
  void failingClosedRefusesWithoutTheGridUntilItIsTriedAgain() {
    RateLimitSpec spec = spec("{name: closed, algorithm: fixed_window, limit: 10, window: 100s, grid_timeout: 200ms,"
        + " on_grid_failure: fail_closed}");
    ClusterLimiter node = node(spec, 1);
    String key = freshKey();
    String bucket = BucketNames.bucket(spec, key);
    buckets().lock(bucket);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(Outcome.UNAVAILABLE, take(node, key).outcome(), "request " + i);
      }
      assertEquals(1, node.stats().gridCalls(), "one call missed its deadline; the others did not wait for the grid");
      assertEquals(3, node.stats().failedClosed());
    } finally {
      buckets().unlock(bucket);
    }
    assertEquals(Outcome.UNAVAILABLE, take(node, key).outcome(), "still within the second on the node's clock");
    CLOCK.advanceMillis(GridFailurePolicy.RETRY_GRID_MILLIS);
    LimitDecision decision = take(node, key);
    assertTrue(decision.isAllowed(), "the grid answers again");
    assertNotEquals(0, decision.remaining());
  }
}
