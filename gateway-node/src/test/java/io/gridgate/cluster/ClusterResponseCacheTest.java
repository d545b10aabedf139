package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members in one JVM, each with its own node-local response cache: a purge
 * through one node's admin API (one route, or everything) empties the caches of all three, and a
 * push that changes a route stops every node from serving what was cached under the old definition.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterResponseCacheTest {
  private static final String CACHED = ClusterFixture.UPSTREAMS + """
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a, cache: {ttl: 1h}}
        - {id: b, match: {path: {prefix: /b}}, upstream: b, cache: {ttl: 1h}}
      """;
  private static final String A_CHANGED = CACHED.replace("upstream: a, cache: {ttl: 1h}}",
      "upstream: a, cache: {ttl: 1h}, response_headers: {set: {X-Definition: \"2\"}}}");
  @TempDir
  Path dir;
  private ClusterFixture cluster;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new ClusterFixture(dir, 3, 3);
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
    JsonObject pushed = cluster.push(0, 1, CACHED).bodyAsJsonObject();
    assertEquals(new JsonArray(), pushed.getJsonArray("lagging"), pushed.encode());
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  /** Asks every node for {@code path} and checks each answer's X-Cache-Status. */
  private void assertEveryNode(String path, String cacheStatus) {
    for (int i = 0; i < cluster.size(); i++) {
      HttpResponse<Buffer> reply = cluster.get(i, path);
      assertEquals(200, reply.statusCode(), "node " + i);
      assertEquals(cacheStatus, reply.getHeader("X-Cache-Status"), path + " on node " + i);
    }
  }

  private Set<String> memberIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < cluster.size(); i++) {
      ids.add(cluster.node(i).configService().memberId());
    }
    return ids;
  }

  private void purge(int node, String uri) {
    HttpResponse<Buffer> purged = cluster.admin(node, HttpMethod.DELETE, uri, null);
    assertEquals(200, purged.statusCode(), purged.bodyAsString());
    JsonObject body = purged.bodyAsJsonObject();
    assertEquals(memberIds(), new HashSet<>(body.getJsonArray("purged").getList()), body.encode());
    assertEquals(List.of(), body.getJsonArray("failed").getList());
  }

  @Test
  void aPurgeThroughOneNodeEmptiesTheCachesOfEveryMember() {
    assertEveryNode("/a", "Miss");
    assertEveryNode("/a", "Hit");
    assertEveryNode("/b", "Miss");
    assertEveryNode("/b", "Hit");
    assertEquals(3, cluster.hits("upstream-a"), "each node keeps its own entry");

    purge(1, "/admin/cache?route=a");
    assertEveryNode("/a", "Miss");
    assertEveryNode("/b", "Hit");
    assertEquals(6, cluster.hits("upstream-a"));
    assertEquals(3, cluster.hits("upstream-b"));

    purge(2, "/admin/cache");
    assertEveryNode("/a", "Miss");
    assertEveryNode("/b", "Miss");
    assertEquals(9, cluster.hits("upstream-a"));
    assertEquals(6, cluster.hits("upstream-b"));
  }

  @Test
  void aPushThatChangesARouteInvalidatesItsEntriesOnEveryMember() {
    assertEveryNode("/a", "Miss");
    assertEveryNode("/b", "Miss");
    JsonObject pushed = cluster.push(2, 2, A_CHANGED).bodyAsJsonObject();
    assertEquals(new JsonArray(), pushed.getJsonArray("lagging"), pushed.encode());

    for (int i = 0; i < cluster.size(); i++) {
      HttpResponse<Buffer> reply = cluster.get(i, "/a");
      assertEquals("Miss", reply.getHeader("X-Cache-Status"), "node " + i + " must not serve the old definition's entry");
      assertEquals("2", reply.getHeader("X-Definition"), "node " + i);
    }
    assertEveryNode("/a", "Hit");
    assertEveryNode("/b", "Hit");
    assertEquals(6, cluster.hits("upstream-a"));
    assertEquals(3, cluster.hits("upstream-b"), "an unchanged route keeps its entries");
  }
}
