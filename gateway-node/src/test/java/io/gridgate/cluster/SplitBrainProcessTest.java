package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.distribution.ConfigRecord;
import io.gridgate.testing.MemberRelays;
import io.gridgate.testing.NodeProcesses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real partition of three node JVMs whose Hazelcast members talk only through TCP relays in the
 * test JVM ({@link MemberRelays}): node C is cut off, a push goes through C (alone, it accepts) and
 * another through A, then the cut heals. Every node must converge on the one document the merge
 * rule picks (higher version, then greater SHA-256), the other must be a version in the history,
 * the conflict must be logged and counted once, and a push on the current head must succeed at once
 * through every node, each member acking it (the merged C's event-bus address works). Round one:
 * same version on both sides, C's document has the greater hash and wins; both sides revoke the
 * same subject differently and the grid keeps the union. Round two: A's side pushes twice, so its
 * higher version wins and C's document is kept as "lost in merge". Round three: only C pushes, and
 * its document becomes the head without a conflict.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SplitBrainProcessTest {
  private static final Duration SPLIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(60);
  private static final String CONFLICT_LOG = "configuration merge conflict after a split healed";
  private static final Pattern CONFLICTS = Pattern.compile("^gridgate_config_merge_conflicts_total\\{[^}]*} (\\S+)$",
      Pattern.MULTILINE);
  private static final String ROUTES = """
      upstreams:
        u: {targets: [{address: "127.0.0.1:%d"}]}
      routes:
        - {id: base, match: {path: {prefix: /base}}, upstream: u}
      """;
  private static final int C = 2;

  @TempDir
  Path dir;

  private Vertx vertx;
  private NodeProcesses nodes;
  private MemberRelays relays;
  private int upstream;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.response().end("up " + req.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    upstream = server.actualPort();
    nodes = new NodeProcesses(dir, 3, "SplitBrainProcessTest").document(ROUTES.formatted(upstream));
    int[] memberPorts = IntStream.range(0, 3).map(nodes::memberPort).toArray();
    relays = new MemberRelays(memberPorts, nodes.ports());
    for (int i = 0; i < 3; i++) {
      nodes.hazelcastConfig(i, hazelcastYaml(i));
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
    relays.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHealedSplitConvergesOnOneDocumentKeepsTheOtherAndTakesPushesAtOnce() {
    nodes.withNodeOutput(() -> {
      nodes.startAll();
      awaitMembers(List.of(0, 1, 2), 3);
      nodes.log("3 members through the relays");

      // round 1: one push on each side from the same base; C's document has the greater hash
      String lone = routes("lone", ConfigRecord.hashOf(routes("major", "")), true);
      String major = routes("major", "");
      split();
      long base = headVersion(C);
      assertEquals(base + 1, push(C, base, lone).getLong("version"), "C alone accepts a push");
      assertEquals(base + 1, push(0, base, major).getLong("version"), "A and B accept a push");
      awaitServes(C, "/lone");
      awaitServes(1, "/major");
      long now = System.currentTimeMillis() / 1000;
      revoke(C, now - 50, now + 3_600);
      revoke(0, now - 100, now + 7_200);
      heal();
      awaitConverged(lone);
      awaitRevocation(0, (now - 50) * 1000, now + 7_200);
      JsonArray history = history(0);
      assertHasVersion(history, major, "the majority's document stays in the history");
      JsonObject head = last(history);
      assertEquals(ConfigRecord.hashOf(lone), head.getString("hash"));
      assertTrue(head.getString("origin").startsWith("merge winner (version " + (base + 1) + " on member "),
          head.encode());
      assertConflictsReported(1);
      pushOnEveryNode(1);
      nodes.log("round 1 healed: C's document won by its hash");

      // round 2: A's side pushes twice, C once: the higher version wins, C's document is kept as lost
      String lone2 = routes("lone2", "");
      String major2 = routes("major2", "");
      String major3 = routes("major3", "");
      split();
      base = headVersion(C);
      push(C, base, lone2);
      push(0, base, major2);
      push(1, base + 1, major3);
      heal();
      awaitConverged(major3);
      history = history(1);
      JsonObject lost = assertHasVersion(history, lone2, "C's document is kept as a version");
      assertTrue(lost.getString("origin").startsWith("lost in merge (was version " + (base + 1) + " on member "),
          lost.encode());
      assertEquals(ConfigRecord.hashOf(major3), last(history).getString("hash"));
      assertConflictsReported(2);
      pushOnEveryNode(2);
      nodes.log("round 2 healed: the majority's higher version won");

      // round 3: only C pushes: its document is taken over as it is, which is no conflict
      String lone3 = routes("lone3", "");
      split();
      base = headVersion(C);
      push(C, base, lone3);
      heal();
      awaitConverged(lone3);
      JsonObject merged = last(history(0));
      assertEquals(ConfigRecord.hashOf(lone3), merged.getString("hash"));
      assertTrue(merged.getString("origin").startsWith("merged (version " + (base + 1) + " on member "), merged.encode());
      assertConflictsReported(2);
      pushOnEveryNode(3);
      nodes.log("round 3 healed: C's push taken over");
    });
  }

  /**
   * With {@code minority: protect}, node C cut off alone (1 of 3, below the quorum of 2) refuses
   * pushes with 503 and decides the cluster limit on its share (30 / 3 expected members = 10) without
   * the grid, while A and B keep taking pushes; after the heal C follows the majority (no conflict:
   * it pushed nothing) and takes pushes again.
   */
  @Test
  void aProtectedMinorityRefusesPushesAndDecidesLimitsOnItsShare() {
    nodes.clusterSettings("    minority: protect\n").document(ROUTES.formatted(upstream) + """
          - id: limited
            match: {path: {prefix: /limited}}
            upstream: u
            rate_limits:
              - {name: split-share, algorithm: fixed_window, limit: 30, window: 1h, key: [route]}
        """);
    nodes.withNodeOutput(() -> {
      nodes.startAll();
      awaitMembers(List.of(0, 1, 2), 3);
      assertFalse(cluster(C).getBoolean("minority"), cluster(C).encode());

      split();
      NodeProcesses.await(SPLIT_TIMEOUT, "C reports a minority side", () -> cluster(C).getBoolean("minority"));
      assertFalse(cluster(0).getBoolean("minority"), "2 of 3 keep the quorum: " + cluster(0).encode());
      long base = headVersion(C);
      HttpResponse<String> refused = nodes.admin(C, "PUT", "/admin/config?base_version=" + base, routes("lone", ""));
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals("minority", new JsonObject(refused.body()).getString("error"), refused.body());
      assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on the refusal");
      assertEquals(base, headVersion(C), "the refused push changed nothing");
      String major = routes("major", "");
      assertEquals(base + 1, push(0, base, major).getLong("version"), "the majority still takes pushes");

      int allowed = 0;
      for (int k = 0; k < 15; k++) {
        HttpResponse<String> response = nodes.get(C, "/limited");
        if (response.statusCode() == 200) {
          allowed++;
        } else {
          assertEquals(429, response.statusCode(), response.body());
        }
      }
      assertEquals(10, allowed, "C alone grants its share of the cluster limit, 30 / 3");
      nodes.log("C refused a push and granted 10 of the limit's 30");

      heal();
      awaitConverged(major);
      NodeProcesses.await(SPLIT_TIMEOUT, "C has the quorum again", () -> !cluster(C).getBoolean("minority"));
      assertConflictsReported(0);
      pushOnEveryNode(1);
      nodes.log("healed: C follows the majority and takes pushes again");
    });
  }

  private JsonObject cluster(int node) throws Exception {
    return new JsonObject(nodes.admin(node, "GET", "/admin/node", null).body()).getJsonObject("cluster");
  }

  // ---- the partition ----

  private void split() throws Exception {
    relays.cut(C);
    awaitMembers(List.of(C), 1);
    awaitMembers(List.of(0, 1), 2);
    headVersion(C); // both sides' grids answer before the test pushes through them
    headVersion(0);
    nodes.log("C cut off");
  }

  private void heal() throws Exception {
    relays.heal();
    awaitMembers(List.of(0, 1, 2), 3);
    nodes.log("split healed: 3 members");
  }

  private void awaitMembers(List<Integer> which, int count) throws Exception {
    for (int i : which) {
      NodeProcesses.await(i == C && count == 3 ? HEAL_TIMEOUT : SPLIT_TIMEOUT,
          "node " + nodes.node(i).name() + " sees " + count + " members", () -> members(i) == count);
    }
  }

  private int members(int i) throws Exception {
    HttpResponse<String> response = nodes.admin(i, "GET", "/admin/node", null);
    return response.statusCode() == 200 ? new JsonObject(response.body()).getJsonObject("cluster").getInteger("members") : -1;
  }

  // ---- revocations ----

  /** Revokes the subject alice's tokens issued before {@code issuedBefore} until {@code expiresAt} (epoch seconds). */
  private void revoke(int node, long issuedBefore, long expiresAt) throws Exception {
    String body = new JsonObject().put("subject", "alice").put("issued_before", issuedBefore)
        .put("expires_at", expiresAt).encode();
    HttpResponse<String> response = nodes.admin(node, "POST", "/admin/revocations", body);
    assertEquals(201, response.statusCode(), response.body());
  }

  /** The grid holds the union of both sides' revocations of alice: the later "issued before" and the later expiry. */
  private void awaitRevocation(int node, long issuedBeforeMillis, long expiresAt) throws Exception {
    String[] last = {""};
    NodeProcesses.await(HEAL_TIMEOUT, "the revocations of both sides merge into their union", () -> {
      last[0] = nodes.admin(node, "GET", "/admin/revocations", null).body();
      JsonArray all = new JsonObject(last[0]).getJsonArray("revocations");
      JsonObject alice = all.size() == 1 ? all.getJsonObject(0) : new JsonObject();
      return "alice".equals(alice.getString("subject")) && alice.getLong("expires_at", 0L) == expiresAt
          && alice.getLong("issued_before_ms", 0L) == issuedBeforeMillis;
    });
  }

  // ---- configuration ----

  /**
   * The shared routes plus a route {@code /name}, with a comment added until the document's hash
   * is greater (or, with {@code greater} false, smaller) than {@code than}.
   */
  private String routes(String name, String than, boolean greater) {
    String document = routes(name, "");
    for (int nonce = 0; ConfigRecord.hashOf(document).compareTo(than) > 0 != greater; nonce++) {
      document = routes(name, "# nonce " + nonce + "\n");
    }
    return document;
  }

  /** The shared routes plus a route {@code /name}, after {@code comment} lines. */
  private String routes(String name, String comment) {
    return comment + ROUTES.formatted(upstream) + "  - {id: " + name + ", match: {path: {prefix: /" + name
        + "}}, upstream: u}\n";
  }

  private JsonObject push(int node, long base, String document) throws Exception {
    HttpResponse<String> response = nodes.admin(node, "PUT", "/admin/config?base_version=" + base, document);
    assertEquals(200, response.statusCode(), "push through " + nodes.node(node).name() + " on version " + base
        + ": " + response.body());
    return new JsonObject(response.body());
  }

  /**
   * The head version as node {@code node} reads it. Right after a cut or a heal the node's grid can
   * answer an error for a moment (partitions moving to the members it now has), so this waits for
   * a 200.
   */
  private long headVersion(int node) throws Exception {
    long[] version = {-1};
    NodeProcesses.await(SPLIT_TIMEOUT, "node " + nodes.node(node).name() + " reads the head", () -> {
      HttpResponse<String> response = nodes.admin(node, "GET", "/admin/config", null);
      if (response.statusCode() != 200) {
        return false;
      }
      version[0] = new JsonObject(response.body()).getLong("version");
      return true;
    });
    return version[0];
  }

  private JsonArray history(int node) throws Exception {
    return new JsonObject(nodes.admin(node, "GET", "/admin/config/versions", null).body()).getJsonArray("versions");
  }

  private static JsonObject last(JsonArray history) {
    return history.getJsonObject(history.size() - 1);
  }

  private static JsonObject assertHasVersion(JsonArray history, String document, String what) {
    String hash = ConfigRecord.hashOf(document);
    List<Long> versions = new ArrayList<>();
    JsonObject found = null;
    for (int k = 0; k < history.size(); k++) {
      JsonObject version = history.getJsonObject(k);
      versions.add(version.getLong("version"));
      if (hash.equals(version.getString("hash"))) {
        found = version;
      }
    }
    assertEquals(LongStream.rangeClosed(1, history.size()).boxed().toList(), versions, "a linear history: " + history.encode());
    assertTrue(found != null, what + ": " + history.encode());
    return found;
  }

  /**
   * Every node serves {@code document} (by hash and by its route) on the same version. The hash
   * alone does not tell the versions apart: after round two's heal the winning document is both
   * version n and n + 2 (committed again on top of the lost one), and a node on n is brought to
   * n + 2 by the healing node's announcement or by its own periodic catch-up a moment later. So the
   * wait is for one version on every node; only a node that never gets there fails it.
   */
  private void awaitConverged(String document) throws Exception {
    String hash = ConfigRecord.hashOf(document);
    String route = document.substring(document.lastIndexOf("prefix: ") + 8, document.lastIndexOf("}}"));
    for (int i = 0; i < 3; i++) {
      int node = i;
      NodeProcesses.await(HEAL_TIMEOUT, "node " + nodes.node(i).name() + " serves sha256 " + hash, () -> {
        HttpResponse<String> response = nodes.admin(node, "GET", "/admin/node", null);
        return hash.equals(new JsonObject(response.body()).getString("applied_hash"));
      });
      awaitServes(i, route);
    }
    NodeProcesses.await(HEAL_TIMEOUT, "every node on one version", () -> appliedVersions().stream().distinct().count() == 1);
    List<Long> applied = appliedVersions();
    assertEquals(1, applied.stream().distinct().count(), "one version everywhere: " + applied);
    nodes.log("all nodes serve sha256 " + hash.substring(0, 12) + " as version " + applied.get(0));
  }

  private List<Long> appliedVersions() throws Exception {
    List<Long> applied = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      applied.add(new JsonObject(nodes.admin(i, "GET", "/admin/node", null).body()).getLong("applied_version"));
    }
    return applied;
  }

  private void awaitServes(int node, String path) throws Exception {
    NodeProcesses.await(HEAL_TIMEOUT, "node " + nodes.node(node).name() + " serves " + path, () -> {
      HttpResponse<String> response = nodes.get(node, path);
      return response.statusCode() == 200 && ("up " + path).equals(response.body());
    });
  }

  /** The conflicts counted over all nodes reach {@code total} (exactly), and a node logged one. */
  private void assertConflictsReported(int total) throws Exception {
    NodeProcesses.await(SPLIT_TIMEOUT, total + " merge conflicts counted", () -> conflictsCounted() == total);
    assertEquals(total, IntStream.range(0, 3).map(i -> nodes.node(i).linesContaining(CONFLICT_LOG).size()).sum(),
        "WARNING lines about the conflict:\n" + nodes.tails());
    assertEquals(total, conflictsCounted(), "counted exactly once");
  }

  private double conflictsCounted() throws Exception {
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      Matcher m = CONFLICTS.matcher(nodes.admin(i, "GET", "/metrics", null).body());
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
    }
    return sum;
  }

  /**
   * A push on the current head through each node in turn succeeds at once, is sent to all three
   * members, and every member serves it. A member merged back a moment ago may still be reported
   * lagging ("No handlers": its event-bus registration has not reached the pusher yet); it applies
   * the version through its catch-up, which awaitConverged checks.
   */
  private void pushOnEveryNode(int round) throws Exception {
    for (int i = 0; i < 3; i++) {
      long head = headVersion(i);
      JsonObject result = push(i, head, routes("after" + round + i, ""));
      assertEquals(head + 1, result.getLong("version"), result.encode());
      assertEquals(3, result.getJsonArray("members").size(), result.encode());
      if (!result.getJsonArray("lagging").isEmpty()) {
        nodes.log("lagging in the push through " + nodes.node(i).name() + ": " + result.getJsonArray("lagging"));
      }
    }
    awaitConverged(routes("after" + round + 2, ""));
  }

  // ---- members ----

  /**
   * Member {@code i}'s Hazelcast file: bound to 127.0.0.1 on its own port, known to the others only
   * as its relay (public address), connecting out from its own port range, and with heartbeat and
   * merge timings short enough for a split and a heal to take seconds.
   */
  private String hazelcastYaml(int i) {
    String members = IntStream.range(0, 3).mapToObj(k -> "          - " + relays.publicAddress(k))
        .collect(Collectors.joining("\n"));
    return """
        hazelcast:
          properties:
            hazelcast.phone.home.enabled: false
            hazelcast.logging.type: jdk
            hazelcast.wait.seconds.before.join: 0
            hazelcast.max.wait.seconds.before.join: 0
            hazelcast.heartbeat.interval.seconds: 1
            hazelcast.max.no.heartbeat.seconds: 5
            hazelcast.merge.first.run.delay.seconds: 3
            hazelcast.merge.next.run.delay.seconds: 2
          network:
            public-address: %s
            port:
              port: %d
              auto-increment: false
            outbound-ports:
              - %s
            interfaces:
              enabled: true
              interfaces:
                - 127.0.0.1
            join:
              multicast:
                enabled: false
              auto-detection:
                enabled: false
              tcp-ip:
                enabled: true
                connection-timeout-seconds: 1
                member-list:
        %s
        """.formatted(relays.publicAddress(i), nodes.memberPort(i), relays.outboundPorts(i), members);
  }
}
