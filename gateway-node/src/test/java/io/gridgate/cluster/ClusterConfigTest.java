package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ClusterSettings;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.node.AdminToken;
import io.gridgate.node.GatewayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members in one JVM (their own cluster name, TCP-IP on 127.0.0.1): a push
 * through one node's admin API is applied by every node, conflicts and invalid pushes change
 * nothing, rollback is a new version, and a node that joins later serves the newest version.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterConfigTest {
  private static final String TOKEN = "test-admin-token";
  private static final String ROUTE_A = """
      upstreams:
        a: {targets: [{address: "127.0.0.1:%d"}]}
        b: {targets: [{address: "127.0.0.1:%d"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a}
      """;
  private static final String ROUTES_A_AND_B = ROUTE_A + """
        - {id: b, match: {path: {prefix: /b}}, upstream: b}
      """;

  @TempDir
  Path dir;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<GatewayNode> nodes = new ArrayList<>();
  private final String clusterName = "gridgate-test-" + UUID.randomUUID();
  private Vertx clientVertx;
  private WebClient client;
  private int upstreamA;
  private int upstreamB;
  private List<Integer> memberPorts;

  @BeforeEach
  void setUp() throws Exception {
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
    upstreamA = upstream("upstream-a");
    upstreamB = upstream("upstream-b");
    memberPorts = List.of(freePort(), freePort(), freePort(), freePort());
  }

  @AfterEach
  void tearDown() {
    for (Vertx vertx : vertxes) {
      await(vertx.close().recover(err -> Future.succeededFuture()));
    }
    await(clientVertx.close());
  }

  @Test
  void pushesReachEveryMemberAndLateJoinersServeTheNewestVersion() throws Exception {
    for (int i = 0; i < 3; i++) {
      startNode(i);
    }
    assertAppliedEverywhere(1);
    assertEquals("upstream-a", get(2, "/a").bodyAsString());
    assertEquals(404, get(2, "/b").statusCode());

    JsonObject pushed = push(0, 1, ROUTES_A_AND_B).bodyAsJsonObject();
    assertEquals(2, pushed.getLong("version"));
    assertEquals(new JsonArray(), pushed.getJsonArray("lagging"));
    assertEquals(3, pushed.getJsonArray("members").size());
    assertAppliedEverywhere(2);
    assertEquals("upstream-b", get(2, "/b").bodyAsString(), "a route pushed through node 0 is served by node 2");

    HttpResponse<Buffer> conflict = push(1, 1, ROUTE_A);
    assertEquals(409, conflict.statusCode());
    assertEquals(2, conflict.bodyAsJsonObject().getLong("current_version"));

    HttpResponse<Buffer> invalid = push(1, 2, ROUTE_A.replace("upstream: a}", "upstream: orders}"));
    assertEquals(400, invalid.statusCode());
    assertEquals("routes[0].upstream", invalid.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("path"));
    assertAppliedEverywhere(2);
    assertEquals("upstream-b", get(1, "/b").bodyAsString(), "a rejected push changes nothing");

    JsonObject diff = admin(0, HttpMethod.GET, "/admin/config/diff?from=1&to=2", null).bodyAsJsonObject();
    assertEquals(new JsonArray().add("b"), diff.getJsonObject("routes").getJsonArray("added"));

    HttpResponse<Buffer> rollback = admin(2, HttpMethod.POST, "/admin/config/rollback/1", null);
    assertEquals(200, rollback.statusCode(), rollback.bodyAsString());
    assertEquals(3, rollback.bodyAsJsonObject().getLong("version"));
    assertAppliedEverywhere(3);
    assertEquals(404, get(0, "/b").statusCode(), "rolled back to a version without route b");

    JsonArray versions = admin(1, HttpMethod.GET, "/admin/config/versions", null).bodyAsJsonObject().getJsonArray("versions");
    assertEquals(List.of(1L, 2L, 3L), versions.stream().map(v -> ((JsonObject) v).getLong("version")).toList());

    startNode(3);
    assertEquals(3, nodes.get(3).configService().appliedVersion(), "a joining node applies the newest version before serving");
    assertEquals("upstream-a", get(3, "/a").bodyAsString());
    assertEquals(404, get(3, "/b").statusCode());
  }

  @Test
  void adminCallsNeedTheBearerToken() throws Exception {
    startNode(0);
    int port = nodes.get(0).adminPort();
    HttpResponse<Buffer> none = await(client.get(port, "127.0.0.1", "/admin/config").send());
    assertEquals(401, none.statusCode());
    assertTrue(none.getHeader("WWW-Authenticate").startsWith("Bearer"));
    HttpResponse<Buffer> wrong = await(client.get(port, "127.0.0.1", "/admin/config").bearerTokenAuthentication("nope").send());
    assertEquals(403, wrong.statusCode());
    assertEquals("forbidden", wrong.bodyAsJsonObject().getString("error"));
    HttpResponse<Buffer> rejected = await(client.put(port, "127.0.0.1", "/admin/config?base_version=1")
        .bearerTokenAuthentication("nope").sendBuffer(Buffer.buffer(ROUTES_A_AND_B.formatted(upstreamA, upstreamB))));
    assertEquals(403, rejected.statusCode());
    assertEquals(1, nodes.get(0).configService().appliedVersion(), "a refused call changes nothing");
    assertEquals(200, await(client.get(port, "127.0.0.1", "/ready").send()).statusCode(), "probes stay open");
  }

  @Test
  void aLoneMemberOfAnExpectedThreeReportsDegradedButStaysReady() throws Exception {
    startNode(0);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!nodes.get(0).isClusterDegraded() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    HttpResponse<Buffer> ready = await(client.get(nodes.get(0).adminPort(), "127.0.0.1", "/ready").send());
    assertEquals(200, ready.statusCode(), "a degraded node still serves");
    assertEquals(new JsonObject().put("members", 1).put("expected", 3).put("degraded", true),
        ready.bodyAsJsonObject().getJsonObject("cluster"));

    startNode(1);
    startNode(2);
    deadline = System.currentTimeMillis() + 10_000;
    while (nodes.get(0).isClusterDegraded() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertFalse(nodes.get(0).isClusterDegraded(), "three members again");
  }

  private void startNode(int index) {
    ClusterSettings cluster = new ClusterSettings(clusterName, memberPorts.get(index), false,
        memberPorts.stream().map(p -> "127.0.0.1:" + p).toList(), null, 3, Duration.ofMillis(500),
        dir.resolve("node-" + index));
    GatewayConfig config = new ConfigParser().parse("""
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
        """ + ROUTE_A.formatted(upstreamA, upstreamB));
    config = config.withNode(config.node().withCluster(cluster));
    ClusterJoin.Joined joined = await(ClusterJoin.join(new VertxOptions().setEventLoopPoolSize(2), cluster, dir));
    vertxes.add(joined.vertx());
    nodes.add(await(GatewayNode.start(joined.vertx(), config, joined.membership(), AdminToken.of(TOKEN),
        cluster.dataDir().resolve("snapshot.json"))));
  }

  private void assertAppliedEverywhere(long version) {
    for (int i = 0; i < nodes.size(); i++) {
      assertEquals(version, nodes.get(i).configService().appliedVersion(), "node " + i);
    }
  }

  private HttpResponse<Buffer> push(int node, long base, String template) {
    return admin(node, HttpMethod.PUT, "/admin/config?base_version=" + base, template.formatted(upstreamA, upstreamB));
  }

  private HttpResponse<Buffer> admin(int node, HttpMethod method, String uri, String body) {
    var request = client.request(method, nodes.get(node).adminPort(), "127.0.0.1", uri).bearerTokenAuthentication(TOKEN);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  private HttpResponse<Buffer> get(int node, String path) {
    return await(client.get(nodes.get(node).httpPort(), "127.0.0.1", path).send());
  }

  private int upstream(String name) {
    HttpServer server = await(clientVertx.createHttpServer()
        .requestHandler(req -> req.response().end(name)).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
