package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.spi.impl.eventservice.EventRegistration;
import io.gridgate.grid.GridNames;
import io.gridgate.grid.HazelcastReconciliation;
import io.gridgate.security.ApiKeys;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.RevocationList;
import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest check with three real Hazelcast members in this JVM: node C's entry listeners on the
 * revocations and consumers are deregistered, so C hears nothing of what A changes afterwards;
 * within a few digest intervals (1 s by default) C's replicas hold the changes anyway, counted in
 * its metrics and reported in one log line per stale replica.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterReconciliationTest {
  private static final Pattern RELOADS = Pattern.compile(
      "gridgate_replica_reloads_total\\{[^}]*structure=\"(\\w+)\"[^}]*trigger=\"digest\"[^}]*} (\\S+)");

  @TempDir
  Path dir;
  private ClusterFixture cluster;
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Logger log = Logger.getLogger(HazelcastReconciliation.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void start() throws Exception {
    log.addHandler(capture);
    cluster = new ClusterFixture(dir, 3, 3).withNodeMetrics();
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
  }

  @AfterEach
  void close() {
    cluster.close();
    log.removeHandler(capture);
  }

  @Test
  void aReplicaThatMissedEventsIsCorrectedByTheDigestCheck() {
    silenceListenersOf(cluster.member(2), GridNames.REVOCATIONS);
    silenceListenersOf(cluster.member(2), GridNames.CONSUMERS);
    RevocationList revocationsOnC = cluster.node(2).revocations();
    ConsumerDirectory consumersOnC = cluster.node(2).consumers();

    assertEquals(201, cluster.admin(0, HttpMethod.POST, "/admin/revocations",
        new JsonObject().put("jti", "missed-1").encode()).statusCode());
    String key = newKey("dave");
    ClusterFixture.awaitCondition("C's replicas hold the revocation and the key it never heard of",
        () -> revocationsOnC.isRevokedToken("missed-1", System.currentTimeMillis())
            && consumersOnC.byKeyHash(ApiKeys.sha256(key)) != null);
    assertTrue(cluster.node(0).revocations().isRevokedToken("missed-1", System.currentTimeMillis()),
        "A's replica, whose listener works, has it too");

    String keyId = cluster.admin(0, HttpMethod.GET, "/admin/consumers/dave", null).bodyAsJsonObject()
        .getJsonArray("keys").getJsonObject(0).getString("id");
    assertEquals(204, cluster.admin(0, HttpMethod.DELETE, "/admin/consumers/dave/keys/" + keyId, null).statusCode());
    ClusterFixture.awaitCondition("C's directory drops the deleted key", () -> consumersOnC.byKeyHash(ApiKeys.sha256(key)) == null);

    ClusterFixture.awaitCondition("C counts digest re-reads of both structures",
        () -> digestReloads(2, "revocations") >= 1 && digestReloads(2, "consumers") >= 2);
    assertTrue(logged.stream().anyMatch(m -> m.startsWith("replica 'revocations' was stale (found on digest)")), String.valueOf(logged));
    assertTrue(logged.stream().anyMatch(m -> m.startsWith("replica 'consumers' was stale (found on digest)")), String.valueOf(logged));
  }

  @Test
  void replicasWhoseListenersWorkAreNeverFoundStale() throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      assertEquals(201, cluster.admin(i % 3, HttpMethod.POST, "/admin/revocations",
          new JsonObject().put("jti", "heard-" + i).encode()).statusCode());
      newKey("erin-" + i);
    }
    ClusterFixture.awaitCondition("C heard of every revocation",
        () -> cluster.node(2).revocations().isRevokedToken("heard-19", System.currentTimeMillis()));
    Thread.sleep(3_000); // three digest intervals
    assertTrue(logged.stream().noneMatch(m -> m.contains("was stale")), String.valueOf(logged));
  }

  private String newKey(String consumer) {
    HttpResponse<Buffer> put = cluster.admin(0, HttpMethod.PUT, "/admin/consumers/" + consumer, "{\"groups\": []}");
    assertTrue(put.statusCode() / 100 == 2, put.bodyAsString());
    HttpResponse<Buffer> key = cluster.admin(0, HttpMethod.POST, "/admin/consumers/" + consumer + "/keys", null);
    assertEquals(201, key.statusCode(), key.bodyAsString());
    return key.bodyAsJsonObject().getString("key");
  }

  /** Removes every entry listener member {@code hz} registered on {@code map}: it hears nothing from now on. */
  private static void silenceListenersOf(HazelcastInstance hz, String map) {
    var events = ((HazelcastInstanceProxy) hz).getOriginal().node.getNodeEngine().getEventService();
    var self = hz.getCluster().getLocalMember().getAddress();
    int removed = 0;
    for (EventRegistration registration : events.getRegistrations(MapService.SERVICE_NAME, map)) {
      if (registration.getSubscriber().equals(self)) {
        assertTrue(hz.getMap(map).removeEntryListener(registration.getId()));
        removed++;
      }
    }
    assertEquals(1, removed, "one replica listener on " + map);
  }

  private double digestReloads(int node, String structure) {
    String scrape = cluster.admin(node, HttpMethod.GET, "/metrics", null).bodyAsString();
    String member = cluster.node(node).configService().memberId();
    double total = 0;
    for (String line : scrape.split("\n")) {
      Matcher m = RELOADS.matcher(line);
      if (m.find() && line.contains("member=\"" + member + "\"") && m.group(1).equals(structure)) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }
}
