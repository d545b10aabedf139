package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tiers and several limits on one route across three nodes: consumers registered through one
 * node's admin API authenticate on every node, each gets its group's tier of a cluster-wide limit,
 * and the tighter of two limits binds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterTiersTest extends ThreeNodeClusterTest {
  /** Grid deadlines of 5 s: counting must stay exact on a loaded machine (the failure policy has tests of its own). */
  private static final String TIERED = ClusterFixture.UPSTREAMS + """
      routes:
        - id: a
          match: {path: {prefix: /a}}
          upstream: a
          auth: {api_key: {}}
          rate_limits:
            - {name: hourly, limit: 4, window: 1h, key: consumer, tiers: {gold: 9}, grid_timeout: 5s}
            - {name: daily, algorithm: token_bucket, limit: 6, window: 24h, key: consumer, grid_timeout: 5s}
      """;

  @Test
  void eachConsumerGetsItsTiersLimitAndTheTighterLimitBinds() {
    HttpResponse<Buffer> pushed = cluster.push(0, cluster.node(0).configService().appliedVersion(), TIERED);
    assertEquals(200, pushed.statusCode(), pushed.bodyAsString());
    String gold = consumerWithKey("carol", "gold");
    String silver = consumerWithKey("dave", "silver");
    for (int node = 0; node < 3; node++) {
      int n = node;
      ClusterFixture.awaitCondition("consumers on node " + n, 
          () -> cluster.node(n).consumers().byId("dave") != null && cluster.node(n).consumers().byId("dave").keys().size() == 1
              && cluster.node(n).consumers().byId("carol") != null && cluster.node(n).consumers().byId("carol").keys().size() == 1);
    }

    assertEquals(6, admitted(gold), "gold: 9 an hour, but the daily limit of 6 binds");
    assertEquals(4, admitted(silver), "silver: the default hourly limit of 4");
    assertEquals(10, cluster.hits("upstream-a"));
  }

  /** 12 requests with {@code key}, round-robin over the nodes; the 200s. */
  private int admitted(String key) {
    int passed = 0;
    for (int i = 0; i < 12; i++) {
      HttpResponse<Buffer> reply = await(cluster.client.get(cluster.node(i % 3).httpPort(), "127.0.0.1", "/a")
          .putHeader("X-API-Key", key).send());
      passed += reply.statusCode() == 200 ? 1 : 0;
    }
    return passed;
  }

  private String consumerWithKey(String id, String group) {
    HttpResponse<Buffer> put = cluster.admin(0, HttpMethod.PUT, "/admin/consumers/" + id,
        new JsonObject().put("groups", new JsonArray(List.of(group))).encode());
    assertEquals(200, put.statusCode(), put.bodyAsString());
    HttpResponse<Buffer> key = cluster.admin(1, HttpMethod.POST, "/admin/consumers/" + id + "/keys", null);
    assertEquals(201, key.statusCode(), key.bodyAsString());
    return key.bodyAsJsonObject().getString("key");
  }
}
