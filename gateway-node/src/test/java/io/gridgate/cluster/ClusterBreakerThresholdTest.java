package io.gridgate.cluster;

import static io.gridgate.testing.BreakerThresholdDriver.assertExactly;
import static io.gridgate.testing.BreakerThresholdDriver.assertWithinBound;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.BreakerThresholdDriver;
import io.gridgate.testing.ClusterFixture;
import io.gridgate.upstream.BreakerView.Phase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scope: cluster} breakers of three real Hazelcast members in this JVM, in front of real
 * failing targets with retries on: the node that reaches the threshold stops sending before the
 * grid answers, so one client makes exactly the threshold's number of failures reach the upstream,
 * concurrent clients at most the threshold plus the attempts in flight when it was reached; the
 * other nodes open too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterBreakerThresholdTest {
  private static final int CLIENTS = 6;

  @TempDir
  static Path dir;
  private static ClusterFixture cluster;
  private static BreakerThresholdDriver upstreams;

  @BeforeAll
  static void startCluster() throws Exception {
    upstreams = new BreakerThresholdDriver();
    cluster = new ClusterFixture(dir, 3, 3);
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
    HttpResponse<Buffer> pushed = cluster.push(0, 1, upstreams.document(""));
    assertEquals(200, pushed.statusCode(), pushed.bodyAsString());
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    upstreams.close();
  }

  private static void awaitOpenEverywhere(String upstream) {
    for (int node = 0; node < 3; node++) {
      int n = node;
      ClusterFixture.awaitCondition("node " + n + " opened " + upstream,
          () -> cluster.node(n).state().pools().get(upstream).breaker().phase() == Phase.OPEN);
    }
  }

  @Test
  void oneClientThroughOneNodeMakesExactlyConsecutiveFailuresReachTheUpstream() {
    assertExactly(5, upstreams.sequentialUntilOpen(cluster.node(0).httpPort(), "/sequential"));
    awaitOpenEverywhere("sequential");
    assertEquals(0, upstreams.sequentialUntilOpen(cluster.node(1).httpPort(), "/sequential"),
        "another node sends nothing either");
  }

  @Test
  void concurrentClientsThroughOneNodeOvershootByAtMostTheAttemptsInFlight() {
    assertWithinBound(5, CLIENTS, upstreams.concurrentUntilOpen(CLIENTS, cluster.node(1).httpPort(), "/concurrent"));
    awaitOpenEverywhere("concurrent");
  }

  @Test
  void theFailureRatioTripsAfterExactlyMinCalls() {
    assertExactly(8, upstreams.sequentialUntilOpen(cluster.node(2).httpPort(), "/ratio"));
    awaitOpenEverywhere("ratio");
  }
}
