package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.RateLimitSpec;
import io.gridgate.ratelimit.BucketNames;
import io.gridgate.testing.ClusterFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster-wide limits on three real Hazelcast members in one JVM, with requests spread
 * round-robin over the nodes the way an L4 balancer would: the cluster admits exactly the limit.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterRateLimitTest extends ThreeNodeClusterTest {
  private static final String LIMITED = ClusterFixture.UPSTREAMS + """
      routes:
        - id: a
          match: {path: {prefix: /a}}
          upstream: a
          rate_limits:
            - {name: per-client, algorithm: fixed_window, limit: LIMIT, window: 10s, key: "header:X-Client", grid_timeout: TIMEOUT}
        - id: hot
          match: {path: {prefix: /hot}}
          upstream: a
          rate_limits:
            - {name: per-client, algorithm: fixed_window, limit: LIMIT, window: 30s, key: "header:X-Client", grid_timeout: TIMEOUT}
        - id: sliding
          match: {path: {prefix: /sliding}}
          upstream: b
          rate_limits:
            - {name: per-client, algorithm: sliding_window, limit: LIMIT, window: 10s, key: "header:X-Client", grid_timeout: TIMEOUT}
        - id: token
          match: {path: {prefix: /token}}
          upstream: b
          rate_limits:
            - {name: per-client, algorithm: token_bucket, limit: LIMIT, window: 1h, key: "header:X-Client", grid_timeout: TIMEOUT}
        - id: local
          match: {path: {prefix: /local}}
          upstream: b
          rate_limits:
            - {name: per-node, limit: 2, window: 1h, key: "header:X-Client", scope: local}
      """;

  /*
   * While the grid answers, counting is exact. These tests give it 5 s to answer (a second was
   * not always enough beside a CPU hog), so the CPU-starved machine running three members and the
   * load in one JVM never trips the failure policy, whose own tests are in GridFailureTest; the
   * kill test runs with the default deadline.
   */
  @Test
  void aLimitOf100Per10sAdmitsExactly100AcrossThreeNodes() {
    push(100, "5s");
    long windowEnd = awaitWindowStart();
    List<HttpResponse<Buffer>> replies = fire("/a", 150, 6, "client-100", List.of(0, 1, 2));
    assumeStillIn(windowEnd);

    long admitted = count(replies, 200);
    assertEquals(100, admitted, "even load over three nodes: exactly the limit, never more");
    assertEquals(50, count(replies, 429));
    assertEquals(100, cluster.hits("upstream-a"), "refused requests never reach the upstream");

    HttpResponse<Buffer> refused = replies.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertEquals("rate_limited", refused.bodyAsJsonObject().getString("error"));
    assertEquals("0", refused.getHeader("RateLimit-Remaining"));
    assertEquals("0", refused.getHeader("X-RateLimit-Remaining"));
    assertEquals("100", refused.getHeader("RateLimit-Limit"));
    long retryAfter = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After points at the window's end: " + retryAfter);
    for (int node = 0; node < 3; node++) {
      HttpResponse<Buffer> late = cluster.get(node, "/a", "client-100");
      assertEquals(429, late.statusCode(), "node " + node + " refuses too");
      assertEquals("0", late.getHeader("RateLimit-Remaining"), "every node reports the cluster's count");
    }
  }

  @Test
  void slidingWindowsAndTokenBucketsHoldExactlyAcrossNodesToo() {
    push(100, "5s");
    long windowEnd = awaitWindowStart();
    long sliding = count(fire("/sliding", 150, 6, "client-sliding", List.of(0, 1, 2)), 200);
    assumeStillIn(windowEnd);
    assertEquals(100, sliding);
    assertEquals(100, count(fire("/token", 150, 6, "client-token", List.of(0, 1, 2)), 200));
    assertEquals(200, cluster.hits("upstream-b"));
  }

  @Test
  void aLocalLimitCountsOnEachNodeAlone() {
    push(100, "5s");
    assertEquals(6, count(fire("/local", 12, 1, "client-local", List.of(0, 1, 2)), 200),
        "a local limit of 2 admits 2 on each of the 3 nodes");
  }

  @Test
  void aHotKeyLeasesBatchesAndStillNeverExceedsTheLimit() {
    push(3000, "5s");
    long windowEnd = awaitRoom(30_000, 20_000);
    List<HttpResponse<Buffer>> replies = fire("/hot", 4000, 24, "client-hot", List.of(0, 1, 2));
    assumeStillIn(windowEnd);

    long admitted = count(replies, 200);
    System.out.println("limit 3000, hot key over 24 lanes: admitted " + admitted);
    assertTrue(admitted <= 3000, "never more than the limit: " + admitted);
    assertTrue(admitted >= 2940, "at most 2% stranded in leases: " + admitted);
    assertEquals(admitted, cluster.hits("upstream-a"));
  }

  @Test
  void aMemberKilledMidWindowTakesOnlyItsUnspentLeaseWithIt() {
    push(100, "100ms");
    RateLimitSpec spec = cluster.node(0).state().config().routes().get(0).rateLimits().get(0);
    String key = keyOwnedBy(2, spec);
    long windowEnd = awaitWindowStart();
    long before = count(fire("/a", 60, 6, key, List.of(0, 1, 2)), 200);
    assertEquals(60, before);

    cluster.terminateMember(2); // the owner of the bucket dies; its backup on another member takes over
    long after = count(fire("/a", 100, 4, key, List.of(0, 1)), 200);
    assumeStillIn(windowEnd);

    long admitted = before + after;
    // Calls to the dead owner wait until Hazelcast promotes the backup; meanwhile the nodes fail
    // open on their part of what was left at their last grant and charge it afterwards. What can
    // slip through is what the cluster spent since the nodes' last grants: about one lease.
    System.out.println("limit 100, member killed mid-window: admitted " + admitted);
    int oneLease = 100 / 6;
    assertTrue(admitted <= 100 + oneLease, "the backup kept the count: at most one lease over the limit, got " + admitted);
    assertTrue(admitted >= 100 - oneLease, "only the dead member's lease (at most half an even share) is lost: " + admitted);
  }

  private void push(int limit, String gridTimeout) {
    long base = cluster.node(0).configService().appliedVersion();
    HttpResponse<Buffer> pushed = cluster.push(0, base,
        LIMITED.replace("LIMIT", Integer.toString(limit)).replace("TIMEOUT", gridTimeout));
    assertEquals(200, pushed.statusCode(), pushed.bodyAsString());
  }

  /** A client key whose bucket lives on member {@code index}. */
  private String keyOwnedBy(int index, RateLimitSpec spec) {
    var owner = cluster.member(index).getCluster().getLocalMember();
    for (int i = 0; ; i++) {
      String key = "client-" + i;
      if (cluster.member(0).getPartitionService().getPartition(BucketNames.bucket(spec, key)).getOwner().equals(owner)) {
        return key;
      }
    }
  }

  /**
   * Waits, when less than {@code roomMillis} of the current fixed window of {@code windowMillis} is
   * left, for the next one to start; returns the end of the window the run then starts in.
   */
  private static long awaitRoom(long windowMillis, long roomMillis) {
    long now = System.currentTimeMillis();
    long intoWindow = now % windowMillis;
    if (windowMillis - intoWindow < roomMillis) {
      sleep(windowMillis - intoWindow + 20);
      now = System.currentTimeMillis();
      intoWindow = now % windowMillis;
    }
    return now - intoWindow + windowMillis;
  }

  /** Waits for the start of a fresh 10 s window, so a whole test run fits in one; returns its end. */
  private static long awaitWindowStart() {
    return awaitRoom(10_000, 9_000);
  }

  /** Skips the rest of a test whose run outlasted the window it started in (an overloaded machine). */
  private static void assumeStillIn(long windowEnd) {
    Assumptions.assumeTrue(System.currentTimeMillis() < windowEnd,
        "the run outlasted its window (an overloaded machine): two windows' counts say nothing");
  }

  /** Sends {@code total} requests with {@code lanes} in flight, request k to node {@code nodes[k % n]}. */
  private List<HttpResponse<Buffer>> fire(String path, int total, int lanes, String client, List<Integer> nodes) {
    List<HttpResponse<Buffer>> replies = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> done = new java.util.ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      Promise<Void> laneDone = Promise.promise();
      sendNext(path, next, total, client, nodes, replies, laneDone);
      done.add(laneDone.future());
    }
    await(Future.all(done));
    assertEquals(total, replies.size());
    return replies;
  }

  private void sendNext(String path, AtomicInteger next, int total, String client, List<Integer> nodes,
                        List<HttpResponse<Buffer>> replies, Promise<Void> laneDone) {
    int k = next.getAndIncrement();
    if (k >= total) {
      laneDone.complete();
      return;
    }
    cluster.request(nodes.get(k % nodes.size()), path, client).onComplete(ar -> {
      if (ar.failed()) {
        laneDone.fail(ar.cause());
        return;
      }
      replies.add(ar.result());
      sendNext(path, next, total, client, nodes, replies, laneDone);
    });
  }

  private static long count(List<HttpResponse<Buffer>> replies, int status) {
    return replies.stream().filter(r -> r.statusCode() == status).count();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
