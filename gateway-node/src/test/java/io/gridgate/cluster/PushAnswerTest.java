package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.ROUTES_A_AND_B;
import static io.gridgate.testing.ClusterFixture.ROUTE_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members in one JVM: every member serves the committed document (the pusher
 * its own validated copy, the others their compilation of the announcement) and never a refused
 * one; the answer tells where the push's time went and when each member applied it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushAnswerTest {
  private static final String ROUTES_A_AND_C = ROUTE_A + """
        - {id: c, match: {path: {prefix: /c}}, upstream: b}
      """;

  @TempDir
  static Path dir;
  private static ClusterFixture cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new ClusterFixture(dir, 3, 3);
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void everyMemberServesTheCommittedDocumentAndTheAnswerShowsTheTimings() {
    assertEquals(409, cluster.push(0, 5, ROUTES_A_AND_B).statusCode(), "a base from the future is refused");

    JsonObject pushed = pushed(cluster.push(0, 1, ROUTES_A_AND_C));
    for (int node = 0; node < 3; node++) {
      assertEquals(404, cluster.get(node, "/b").statusCode(), "node " + node + " never serves the refused document");
      assertEquals("upstream-b", cluster.get(node, "/c").bodyAsString(), "node " + node + " serves the committed one");
    }
    JsonObject timings = pushed.getJsonObject("timings");
    for (String phase : new String[] {"validate_ms", "commit_ms", "announce_ms"}) {
      assertTrue(timings.getDouble(phase) >= 0, phase + " in " + timings);
    }
    pushed.getJsonArray("members").forEach(member -> {
      JsonObject ack = (JsonObject) member;
      assertEquals("applied", ack.getString("status"));
      assertTrue(ack.getDouble("apply_ms") >= 0 && ack.getString("applied_at").endsWith("Z"), ack.encode());
    });

    pushed(cluster.push(1, 2, ROUTES_A_AND_B));
    for (int node = 0; node < 3; node++) {
      assertEquals("upstream-b", cluster.get(node, "/b").bodyAsString(), "node " + node + " serves version 3");
      assertEquals(404, cluster.get(node, "/c").statusCode(), "node " + node + " dropped version 2's route");
    }
  }

  private static JsonObject pushed(HttpResponse<Buffer> answer) {
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject json = answer.bodyAsJsonObject();
    assertEquals(0, json.getJsonArray("lagging").size(), json.encode());
    return json;
  }
}
