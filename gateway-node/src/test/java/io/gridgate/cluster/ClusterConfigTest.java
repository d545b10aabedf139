package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.ROUTES_A_AND_B;
import static io.gridgate.testing.ClusterFixture.ROUTE_A;
import static io.gridgate.testing.ClusterFixture.await;
import static io.gridgate.testing.ClusterFixture.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ConfigSource;
import io.gridgate.node.GatewayNode;
import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members in one JVM (their own cluster name, TCP-IP on 127.0.0.1): a push
 * through one node's admin API is applied by every node, conflicts and invalid pushes change
 * nothing, rollback is a new version, and a node that joins later serves the newest version; a node
 * whose file differs from the cluster's version reports it, or pushes it with config_source: file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterConfigTest {
  @TempDir
  Path dir;
  private ClusterFixture cluster;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new ClusterFixture(dir, 4, 3);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void pushesReachEveryMemberAndLateJoinersServeTheNewestVersion() {
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
    assertAppliedEverywhere(1);
    assertEquals("upstream-a", cluster.get(2, "/a").bodyAsString());
    assertEquals(404, cluster.get(2, "/b").statusCode());

    JsonObject pushed = cluster.push(0, 1, ROUTES_A_AND_B).bodyAsJsonObject();
    assertEquals(2, pushed.getLong("version"));
    assertEquals(new JsonArray(), pushed.getJsonArray("lagging"));
    assertEquals(3, pushed.getJsonArray("members").size());
    assertAppliedEverywhere(2);
    assertEquals("upstream-b", cluster.get(2, "/b").bodyAsString(), "a route pushed through node 0 is served by node 2");

    HttpResponse<Buffer> conflict = cluster.push(1, 1, ROUTE_A);
    assertEquals(409, conflict.statusCode());
    assertEquals(2, conflict.bodyAsJsonObject().getLong("current_version"));

    HttpResponse<Buffer> ahead = cluster.push(2, 7, ROUTE_A);
    assertEquals(409, ahead.statusCode(), "a base version from the future is refused too");
    assertEquals(2, ahead.bodyAsJsonObject().getLong("current_version"));

    HttpResponse<Buffer> invalid = cluster.push(1, 2, ROUTE_A.replace("upstream: a}", "upstream: orders}"));
    assertEquals(400, invalid.statusCode());
    assertEquals("routes[0].upstream", invalid.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("path"));
    assertAppliedEverywhere(2);
    assertEquals("upstream-b", cluster.get(1, "/b").bodyAsString(), "a rejected push changes nothing");

    JsonObject diff = cluster.admin(0, HttpMethod.GET, "/admin/config/diff?from=1&to=2", null).bodyAsJsonObject();
    assertEquals(new JsonArray().add("b"), diff.getJsonObject("routes").getJsonArray("added"));

    HttpResponse<Buffer> rollback = cluster.admin(2, HttpMethod.POST, "/admin/config/rollback/1", null);
    assertEquals(200, rollback.statusCode(), rollback.bodyAsString());
    assertEquals(3, rollback.bodyAsJsonObject().getLong("version"));
    assertAppliedEverywhere(3);
    assertEquals(404, cluster.get(0, "/b").statusCode(), "rolled back to a version without route b");

    JsonArray versions = cluster.admin(1, HttpMethod.GET, "/admin/config/versions", null)
        .bodyAsJsonObject().getJsonArray("versions");
    assertEquals(List.of(1L, 2L, 3L), versions.stream().map(v -> ((JsonObject) v).getLong("version")).toList());

    cluster.startNode(3);
    assertEquals(3, cluster.node(3).configService().appliedVersion(),
        "a joining node applies the newest version before serving");
    assertEquals("upstream-a", cluster.get(3, "/a").bodyAsString());
    assertEquals(404, cluster.get(3, "/b").statusCode());

    String upstreamAMovedToB = ROUTE_A.replace("a: {targets: [{address: \"127.0.0.1:%d\"}]}",
        "a: {targets: [{address: \"127.0.0.1:%2$d\"}]}");
    assertEquals(200, cluster.push(3, 3, upstreamAMovedToB).statusCode());
    for (int i = 0; i < 4; i++) {
      assertEquals("upstream-b", cluster.get(i, "/a").bodyAsString(), "node " + i + " uses the changed upstream");
    }
  }

  @Test
  void adminCallsNeedTheBearerToken() {
    cluster.startNode(0);
    int port = cluster.node(0).adminPort();
    HttpResponse<Buffer> none = await(cluster.client.get(port, "127.0.0.1", "/admin/config").send());
    assertEquals(401, none.statusCode());
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));
    HttpResponse<Buffer> wrong = await(cluster.client.get(port, "127.0.0.1", "/admin/config")
        .bearerTokenAuthentication("nope").send());
    assertEquals(403, wrong.statusCode());
    assertEquals("forbidden", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> rejected = await(cluster.client.put(port, "127.0.0.1", "/admin/config?base_version=1")
        .bearerTokenAuthentication("nope").sendBuffer(Buffer.buffer(cluster.shared(ROUTES_A_AND_B))));
    assertEquals(403, rejected.statusCode());
    assertEquals(1, cluster.node(0).configService().appliedVersion(), "a refused call changes nothing");
    assertEquals(200, await(cluster.client.get(port, "127.0.0.1", "/ready").send()).statusCode(), "probes stay open");
  }

  @Test
  void aLoneMemberOfAnExpectedThreeReportsDegradedButStaysReady() throws Exception {
    cluster.startNode(0);
    awaitTrue(() -> cluster.node(0).isClusterDegraded());
    HttpResponse<Buffer> ready = await(cluster.client.get(cluster.node(0).adminPort(), "127.0.0.1", "/ready").send());
    assertEquals(200, ready.statusCode(), "a degraded node still serves");
    assertEquals(new JsonObject().put("members", 1).put("expected", 3).put("degraded", true).put("quorum", 2).put("minority", false),
        ready.bodyAsJsonObject().getJsonArray("checks").getJsonObject(0).getJsonObject("data").getJsonObject("cluster"));

    cluster.startNode(1);
    cluster.startNode(2);
    awaitTrue(() -> !cluster.node(0).isClusterDegraded());
    assertFalse(cluster.node(0).isClusterDegraded(), "three members again");
  }

  /** A member joining from a file that also has route /b serves the cluster's version and reports its file. */
  @Test
  void byDefaultAJoinerServesTheClustersVersionAndReportsItsFile() {
    cluster.startNode(0);
    cluster.startNode(1);
    GatewayNode joiner = cluster.startNode(2, ROUTES_A_AND_B, ConfigSource.CLUSTER);

    assertEquals(1, joiner.configService().appliedVersion());
    assertEquals(404, cluster.get(2, "/b").statusCode(), "the file's route is not served");
    assertTrue(joiner.fileDifference().contains("routes only in the file [b]"), joiner.fileDifference());
    JsonObject file = cluster.admin(2, HttpMethod.GET, "/admin/node", null).bodyAsJsonObject().getJsonObject("file");
    assertEquals(true, file.getBoolean("differs"), file.encode());
    assertEquals(new JsonArray().add("b"), file.getJsonObject("changes").getJsonObject("routes").getJsonArray("added"));
    JsonObject file0 = cluster.admin(0, HttpMethod.GET, "/admin/node", null).bodyAsJsonObject().getJsonObject("file");
    assertEquals(false, file0.getBoolean("differs"), "node 0's file is the cluster's: " + file0.encode());
  }

  /**
   * With config_source: file, such a joiner pushes its file as version 2, which every member serves;
   * the members whose own file lacks /b then report theirs as different.
   */
  @Test
  void withConfigSourceFileAJoinerPushesItsFileToEveryMember() {
    cluster.startNode(0);
    cluster.startNode(1);
    GatewayNode joiner = cluster.startNode(2, ROUTES_A_AND_B, ConfigSource.FILE);

    assertEquals(2, joiner.configService().appliedVersion(), "the file's document is version 2");
    assertNull(joiner.fileDifference());
    for (int i = 0; i < 3; i++) {
      int node = i;
      awaitCondition("node " + node + " applies version 2", () -> cluster.node(node).configService().appliedVersion() == 2);
      assertEquals("upstream-b", cluster.get(node, "/b").bodyAsString(), "node " + node + " serves the joiner's file");
    }
    JsonArray versions = cluster.admin(0, HttpMethod.GET, "/admin/config/versions", null).bodyAsJsonObject()
        .getJsonArray("versions");
    assertEquals(2, versions.size(), versions.encode());
    assertEquals("file:" + joiner.configService().memberId(), versions.getJsonObject(1).getString("origin"));
    JsonObject file0 = cluster.admin(0, HttpMethod.GET, "/admin/node", null).bodyAsJsonObject().getJsonObject("file");
    assertEquals(true, file0.getBoolean("differs"), "node 0's file lacks /b now: " + file0.encode());
    assertEquals(new JsonArray().add("b"), file0.getJsonObject("changes").getJsonObject("routes").getJsonArray("removed"));

    GatewayNode another = cluster.startNode(3, ROUTES_A_AND_B, ConfigSource.FILE);
    assertEquals(2, another.configService().appliedVersion(), "a file equal to the cluster's version pushes nothing");
    assertEquals(2, cluster.admin(0, HttpMethod.GET, "/admin/config/versions", null).bodyAsJsonObject()
        .getJsonArray("versions").size());
  }

  private void assertAppliedEverywhere(long version) {
    for (int i = 0; i < cluster.size(); i++) {
      assertEquals(version, cluster.node(i).configService().appliedVersion(), "node " + i);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
  }
}
