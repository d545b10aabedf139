package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.ROUTES_A_AND_B;
import static io.gridgate.testing.ClusterFixture.ROUTE_A;
import static io.gridgate.testing.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.distribution.ConfigService;
import io.gridgate.testing.ClusterFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not part of the test suite (the class name keeps surefire from picking it up): time
 * from a push on one member until every one of 3 members has applied it and acked, over
 * {@code -Dpushes=200} pushes after 20 warm-up pushes. Run with
 * {@code mvn -pl gateway-node test -Dtest=PushPropagationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PushPropagationBenchmark {
  @TempDir
  Path dir;

  @Test
  void pushToAppliedOnAllMembers() throws Exception {
    int pushes = Integer.getInteger("pushes", 200);
    try (ClusterFixture cluster = new ClusterFixture(dir, 3, 3)) {
      for (int i = 0; i < 3; i++) {
        cluster.startNode(i);
      }
      ConfigService pusher = cluster.node(0).configService();
      long version = pusher.appliedVersion();
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < 20 + pushes; i++) {
        String document = cluster.shared(i % 2 == 0 ? ROUTES_A_AND_B : ROUTE_A);
        long start = System.nanoTime();
        ConfigService.PushResult result = await(pusher.push(version, document, "benchmark"));
        double elapsed = (System.nanoTime() - start) / 1e6;
        assertEquals(List.of(), result.lagging());
        version = result.version();
        if (i >= 20) {
          millis.add(elapsed);
        }
      }
      Collections.sort(millis);
      System.out.printf("push-to-applied on 3 members over %d pushes: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          pushes, pct(millis, 50), pct(millis, 90), pct(millis, 99), millis.get(millis.size() - 1));
    }
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
