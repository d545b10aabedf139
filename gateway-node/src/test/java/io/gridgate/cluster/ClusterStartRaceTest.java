package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.NodeProcesses;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 rounds of three node JVMs started at the same moment on empty data_dirs, so every round races
 * for seeding version 1 (the case that once made a loser exit with a NullPointerException): each
 * node must serve, all on version 1 committed by one seeder. Nodes are killed (SIGKILL) between
 * rounds and their data_dirs cleared: with snapshots left over, later rounds would offer the old
 * version instead of racing to seed. A round took ~20 s on a 2-core machine
 * shared with other builds; the timeout allows for that.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ClusterStartRaceTest {
  private static final int ROUNDS = 20;
  private static final String DOCUMENT = """
      upstreams:
        app: {targets: [{address: "127.0.0.1:9"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: app}
      """;

  @TempDir
  Path dir;

  private NodeProcesses nodes;

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
  }

  @Test
  void threeNodesStartedTogetherAlwaysServeOneSeededVersion() throws Exception {
    nodes = new NodeProcesses(dir, 3, "ClusterStartRaceTest").document(DOCUMENT);
    nodes.withNodeOutput(() -> {
      long begun = System.nanoTime();
      for (int round = 1; round <= ROUNDS; round++) {
        nodes.clearDataDirs();
        nodes.startAll(); // fails when a node exits before it serves
        Set<String> origins = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
          assertEquals(1, nodes.node(i).configVersion(), "round " + round + ": node " + nodes.node(i).name() + "'s version");
          HttpResponse<String> config = nodes.admin(i, "GET", "/admin/config", null);
          assertEquals(200, config.statusCode(), "round " + round + ": " + config.body());
          origins.add(new JsonObject(config.body()).getString("origin"));
        }
        assertEquals(1, origins.size(), "round " + round + ": one member seeded version 1 for all: " + origins);
        nodes.killAll();
      }
      nodes.log(ROUNDS + " rounds in " + Duration.ofNanos(System.nanoTime() - begun).toSeconds() + " s");
    });
  }
}
