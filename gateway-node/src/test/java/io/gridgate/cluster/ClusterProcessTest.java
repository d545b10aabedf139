package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.NodeProcesses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs on loopback forming one Hazelcast cluster (their own cluster name, TCP-IP on
 * 127.0.0.1, fixed ports), with two real upstreams in the test JVM: a push through node A is served
 * by node C; with node B killed (-9) a push through A still succeeds and reaches A and C; B
 * restarted on the same file and data_dir serves the newest version; after all three are stopped
 * (SIGTERM) and started again, the newest version survives from the disk snapshots.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterProcessTest {
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(20);

  private static final String ROUTE_A = """
      upstreams:
        a: {targets: [{address: "127.0.0.1:%1$d"}]}
        b: {targets: [{address: "127.0.0.1:%2$d"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a}
      """;
  private static final String ROUTES_A_B = ROUTE_A + """
        - {id: b, match: {path: {prefix: /b}}, upstream: b}
      """;
  private static final String ROUTES_A_B_C = ROUTES_A_B + """
        - {id: c, match: {path: {prefix: /c}}, upstream: a}
      """;
  private static final String ROUTES_A_B_C_D = ROUTES_A_B_C + """
        - {id: d, match: {path: {prefix: /d}}, upstream: b}
      """;

  @TempDir
  Path dir;

  private Vertx vertx;
  private NodeProcesses nodes;
  private int upstreamA;
  private int upstreamB;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    upstreamA = upstream("upstream-a");
    upstreamB = upstream("upstream-b");
    nodes = new NodeProcesses(dir, 3, "ClusterProcessTest").document(ROUTE_A.formatted(upstreamA, upstreamB));
  }

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pushesSurviveAKilledMemberAndAFullClusterRestart() {
    nodes.withNodeOutput(this::scenario);
  }

  /**
   * A node that has joined the cluster but cannot bind its HTTP port exits with status 1; it must
   * not linger as a member (acking pushes, counted in the cluster size) that serves nothing.
   */
  @Test
  void aNodeThatCannotBindItsHttpPortExitsInsteadOfStayingAMember() {
    assertExitsWhenTaken(nodes.httpPort(0), "HTTP");
  }

  /** The same when the node cannot listen for the cluster event bus, which fails while it joins. */
  @Test
  void aNodeThatCannotBindItsEventBusPortExits() {
    assertExitsWhenTaken(nodes.eventBusPort(0), "event bus");
  }

  private void assertExitsWhenTaken(int port, String which) {
    nodes.withNodeOutput(() -> {
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        NodeProcesses.NodeProcess node = nodes.start(0);
        assertTrue(node.process().waitFor(60, TimeUnit.SECONDS),
            "a node that cannot bind its " + which + " port is still running 60 s later");
        assertEquals(1, node.process().exitValue(), "exit status");
        node.ended().get(10, TimeUnit.SECONDS);
        assertTrue(node.serving().isCompletedExceptionally(), "the node never reported serving");
        assertTrue(node.tail().contains("GridGate node failed to start"), "the node says why it exits");
      }
    });
  }

  private void scenario() throws Exception {
    // 1. Three members, started concurrently; one seeds version 1 from its file, the others apply it.
    nodes.startAll();
    for (int i = 0; i < 3; i++) {
      assertEquals(1, nodes.node(i).configVersion(), "node " + nodes.node(i).name() + " starts on the seeded version");
    }
    awaitServes(2, "/a", "upstream-a /a");
    nodes.log("3 nodes serving");

    // 2. A push through A's admin API is applied by all three members and served by C.
    JsonObject v2 = push(0, 1, ROUTES_A_B);
    assertEquals(2, v2.getLong("version"), v2.encode());
    assertEquals(Set.of(memberId(0), memberId(1), memberId(2)), members(v2),
        "the push reaches all three members of one cluster: " + v2.encode());
    assertEquals(new JsonArray(), v2.getJsonArray("lagging"), v2.encode());
    assertEquals("upstream-b /b", get(2, "/b").body(), "a route pushed through A is served by C");
    assertNodeStatus(2, 2);
    nodes.log("v2 pushed through A, served by C");

    // 3. kill -9 B; a push through A still commits and reaches A and C. B is reported lagging, or
    //    not at all once Hazelcast has removed it.
    String deadMember = memberId(1);
    nodes.kill(1);
    JsonObject v3 = push(0, 2, ROUTES_A_B_C);
    nodes.log("v3 pushed with B dead: " + v3.encode());
    assertEquals(3, v3.getLong("version"), v3.encode());
    Set<String> expectedApplied = Set.of(memberId(0), memberId(2));
    Set<String> applied = new HashSet<>();
    for (Object o : v3.getJsonArray("members")) {
      JsonObject ack = (JsonObject) o;
      if ("applied".equals(ack.getString("status"))) {
        applied.add(ack.getString("member"));
      }
    }
    assertEquals(expectedApplied, applied, "A and C ack version 3: " + v3.encode());
    Set<String> lagging = v3.getJsonArray("lagging").stream().map(String::valueOf).collect(Collectors.toSet());
    assertTrue(Set.of(deadMember).containsAll(lagging), "only the killed B may be lagging: " + v3.encode());
    assertNodeStatus(0, 3);
    assertNodeStatus(2, 3);
    assertEquals("upstream-a /c", get(2, "/c").body());
    assertEquals("upstream-a /c", get(0, "/c").body());

    // 4. B restarted with the same file and data_dir (its snapshot holds version 2) serves version 3.
    nodes.start(1);
    nodes.awaitServing(1);
    assertEquals(3, nodes.node(1).configVersion(), "restarted B applies the newest version before serving");
    assertEquals("upstream-a /c", get(1, "/c").body());
    assertEquals("upstream-b /b", get(1, "/b").body());
    JsonObject status = assertNodeStatus(1, 3);
    assertEquals(memberId(1), status.getString("member"));
    assertNotEquals(deadMember, status.getString("member"), "restarted B is a new member");
    nodes.log("B restarted on version 3");

    // 5. SIGTERM all three, then start all three again: version 3 survives from the disk snapshots.
    nodes.stopAll();
    nodes.startAll();
    for (int i = 0; i < 3; i++) {
      String name = nodes.node(i).name();
      assertEquals(3, nodes.node(i).configVersion(), "node " + name + " restarts on the newest version");
      assertNodeStatus(i, 3);
      assertEquals("upstream-a /c", get(i, "/c").body(), "node " + name);
      assertEquals("upstream-b /b", get(i, "/b").body(), "node " + name);
    }
    nodes.log("full restart on version 3");

    // 6. The re-formed cluster takes pushes again: version 4 through C reaches all three.
    JsonObject v4 = push(2, 3, ROUTES_A_B_C_D);
    assertEquals(4, v4.getLong("version"), v4.encode());
    assertEquals(Set.of(memberId(0), memberId(1), memberId(2)), members(v4), v4.encode());
    assertEquals(new JsonArray(), v4.getJsonArray("lagging"), v4.encode());
    assertEquals("upstream-b /d", get(1, "/d").body());
    nodes.log("v4 pushed after the full restart");
  }

  private String memberId(int i) {
    return nodes.node(i).memberId();
  }

  private JsonObject push(int node, long baseVersion, String template) throws Exception {
    HttpResponse<String> response = nodes.admin(node, "PUT", "/admin/config?base_version=" + baseVersion,
        template.formatted(upstreamA, upstreamB));
    assertEquals(200, response.statusCode(), "push through " + nodes.node(node).name() + ": " + response.body());
    return new JsonObject(response.body());
  }

  /** GET /admin/node until the node reports {@code version} (the catch-up runs every 2 s); returns it. */
  private JsonObject assertNodeStatus(int node, long version) throws Exception {
    JsonObject[] status = {null};
    NodeProcesses.await(CONVERGE_TIMEOUT, "node " + nodes.node(node).name() + " reports applied_version " + version
        + " and READY", () -> {
          HttpResponse<String> response = nodes.admin(node, "GET", "/admin/node", null);
          status[0] = response.statusCode() == 200 ? new JsonObject(response.body()) : null;
          return status[0] != null && status[0].getLong("applied_version") == version
              && "READY".equals(status[0].getString("status"));
        });
    return status[0];
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    HttpResponse<String> response = nodes.get(node, path);
    assertEquals(200, response.statusCode(), "GET " + path + " on " + nodes.node(node).name() + ": " + response.body());
    return response;
  }

  /** Polls until the node answers {@code path} with {@code body}, within a deadline. */
  private void awaitServes(int node, String path, String body) throws Exception {
    NodeProcesses.await(CONVERGE_TIMEOUT, "node " + nodes.node(node).name() + " serves " + path, () -> {
      HttpResponse<String> response = nodes.get(node, path);
      return response.statusCode() == 200 && body.equals(response.body());
    });
  }

  private static Set<String> members(JsonObject push) {
    return push.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("member")).collect(Collectors.toSet());
  }

  private int upstream(String name) throws Exception {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(req -> req.response().end(name + " " + req.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }
}
