package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final String TOKEN = "process-test-admin-token";
  private static final String[] NAMES = {"A", "B", "C"};
  private static final Pattern SERVING = Pattern.compile(
      "GridGate node serving on http://127\\.0\\.0\\.1:(\\d+) \\(admin http://127\\.0\\.0\\.1:(\\d+), config version (\\d+), "
          + "member (\\S+) of cluster '([^']*)'\\)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(100);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(20);
  private static final int TAIL_LINES = 80;

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

  private final String clusterName = "gridgate-proc-" + UUID.randomUUID();
  private final NodeProcess[] nodes = new NodeProcess[3];
  /** Every process this test started, so that none outlives it. */
  private final List<NodeProcess> started = new ArrayList<>();
  private final long testStart = System.nanoTime();
  private Vertx vertx;
  private HttpClient http;
  private int upstreamA;
  private int upstreamB;
  private int[] httpPorts;
  private int[] adminPorts;
  private int[] memberPorts;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    upstreamA = upstream("upstream-a");
    upstreamB = upstream("upstream-b");
    int[] ports = FreePorts.belowEphemeralRange(9);
    httpPorts = new int[] {ports[0], ports[1], ports[2]};
    adminPorts = new int[] {ports[3], ports[4], ports[5]};
    memberPorts = new int[] {ports[6], ports[7], ports[8]};
    http = newHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (NodeProcess node : started) {
      node.process.destroyForcibly();
    }
    for (NodeProcess node : started) {
      node.process.waitFor(15, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pushesSurviveAKilledMemberAndAFullClusterRestart() throws Throwable {
    withNodeOutput(this::scenario);
  }

  /**
   * A node that has joined the cluster but cannot bind its HTTP port exits with status 1; it must
   * not linger as a member (acking pushes, counted in the cluster size) that serves nothing.
   */
  @Test
  void aNodeThatCannotBindItsHttpPortExitsInsteadOfStayingAMember() throws Throwable {
    withNodeOutput(() -> {
      try (ServerSocket taken = new ServerSocket()) {
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPorts[0]));
        start(0);
        NodeProcess node = nodes[0];
        assertTrue(node.process.waitFor(30, TimeUnit.SECONDS),
            "a node that cannot bind its HTTP port is still running 30 s later");
        assertEquals(1, node.process.exitValue(), "exit status");
        node.ended.get(10, TimeUnit.SECONDS);
        assertTrue(node.serving.isCompletedExceptionally(), "the node never reported serving");
        assertTrue(node.tail().contains("GridGate node failed to start"), "the node says why it exits");
      }
    });
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs a test body; a failure carries the last output lines of every node started. */
  private void withNodeOutput(Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + tails(), t);
    }
  }

  private void scenario() throws Exception {
    // 1. Three members, started concurrently; one seeds version 1 from its file, the others apply it.
    startAll();
    for (int i = 0; i < 3; i++) {
      assertEquals(1, nodes[i].configVersion, "node " + NAMES[i] + " starts on the seeded version");
    }
    awaitServes(2, "/a", "upstream-a /a");
    log("3 nodes serving");

    // 2. A push through A's admin API is applied by all three members and served by C.
    JsonObject v2 = push(0, 1, ROUTES_A_B);
    assertEquals(2, v2.getLong("version"), v2.encode());
    assertEquals(Set.of(nodes[0].memberId, nodes[1].memberId, nodes[2].memberId), members(v2),
        "the push reaches all three members of one cluster: " + v2.encode());
    assertEquals(new JsonArray(), v2.getJsonArray("lagging"), v2.encode());
    assertEquals("upstream-b /b", get(2, "/b").body(), "a route pushed through A is served by C");
    assertNodeStatus(2, 2);
    log("v2 pushed through A, served by C");

    // 3. kill -9 B; a push through A still commits and reaches A and C. B is reported lagging, or
    //    not at all once Hazelcast has removed it.
    String deadMember = nodes[1].memberId;
    nodes[1].process.destroyForcibly();
    assertTrue(nodes[1].process.waitFor(15, TimeUnit.SECONDS), "B did not die on SIGKILL");
    log("B killed");
    JsonObject v3 = push(0, 2, ROUTES_A_B_C);
    log("v3 pushed with B dead: " + v3.encode());
    assertEquals(3, v3.getLong("version"), v3.encode());
    Set<String> expectedApplied = Set.of(nodes[0].memberId, nodes[2].memberId);
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
    start(1);
    awaitServing(1);
    assertEquals(3, nodes[1].configVersion, "restarted B applies the newest version before serving");
    assertEquals("upstream-a /c", get(1, "/c").body());
    assertEquals("upstream-b /b", get(1, "/b").body());
    JsonObject status = assertNodeStatus(1, 3);
    assertEquals(nodes[1].memberId, status.getString("member"));
    assertNotEquals(deadMember, status.getString("member"), "restarted B is a new member");
    log("B restarted on version 3");

    // 5. SIGTERM all three, then start all three again: version 3 survives from the disk snapshots.
    stopAll();
    log("all three stopped");
    startAll();
    for (int i = 0; i < 3; i++) {
      assertEquals(3, nodes[i].configVersion, "node " + NAMES[i] + " restarts on the newest version");
      assertNodeStatus(i, 3);
      assertEquals("upstream-a /c", get(i, "/c").body(), "node " + NAMES[i]);
      assertEquals("upstream-b /b", get(i, "/b").body(), "node " + NAMES[i]);
    }
    log("full restart on version 3");

    // 6. The re-formed cluster takes pushes again: version 4 through C reaches all three.
    JsonObject v4 = push(2, 3, ROUTES_A_B_C_D);
    assertEquals(4, v4.getLong("version"), v4.encode());
    assertEquals(Set.of(nodes[0].memberId, nodes[1].memberId, nodes[2].memberId), members(v4), v4.encode());
    assertEquals(new JsonArray(), v4.getJsonArray("lagging"), v4.encode());
    assertEquals("upstream-b /d", get(1, "/d").body());
    log("v4 pushed after the full restart");
  }

  // ---- processes ----

  private void startAll() throws Exception {
    for (int i = 0; i < 3; i++) {
      start(i);
    }
    for (int i = 0; i < 3; i++) {
      awaitServing(i);
    }
  }

  private void start(int i) throws IOException {
    Path nodeDir = dir.resolve("node-" + NAMES[i]);
    Files.createDirectories(nodeDir);
    Path config = nodeDir.resolve("gateway.yaml");
    String members = "[" + Arrays.stream(memberPorts).mapToObj(p -> "\"127.0.0.1:" + p + "\"")
        .collect(Collectors.joining(", ")) + "]";
    Files.writeString(config, """
        node:
          http: {host: 127.0.0.1, port: %d}
          admin: {host: 127.0.0.1, port: %d}
          event_loops: 1
          drain_timeout: 2s
          cluster:
            name: %s
            port: %d
            port_auto_increment: false
            members: %s
            expected_size: 3
            data_dir: "%s"
        """.formatted(httpPorts[i], adminPorts[i], clusterName, memberPorts[i], members, nodeDir.resolve("data"))
        + ROUTE_A.formatted(upstreamA, upstreamB));
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
        "-Dhazelcast.phone.home.enabled=false",
        "-cp", System.getProperty("java.class.path"),
        "io.gridgate.GridGate", "--config", config.toString()))
        .directory(nodeDir.toFile());
    builder.environment().put("GRIDGATE_ADMIN_TOKEN", TOKEN);
    NodeProcess node = new NodeProcess(NAMES[i] + "#" + (started.stream().filter(n -> n.name.startsWith(NAMES[i])).count() + 1),
        builder.start());
    nodes[i] = node;
    started.add(node);
  }

  private void awaitServing(int i) throws Exception {
    NodeProcess node = nodes[i];
    Matcher m;
    try {
      m = node.serving.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("node " + node.name + " did not serve within " + START_TIMEOUT);
    } catch (ExecutionException e) {
      throw new AssertionError("node " + node.name + " exited before serving"
          + (node.process.isAlive() ? "" : " (exit status " + node.process.exitValue() + ")"));
    }
    assertEquals(httpPorts[i], Integer.parseInt(m.group(1)), "http port of " + node.name);
    assertEquals(adminPorts[i], Integer.parseInt(m.group(2)), "admin port of " + node.name);
    assertEquals(clusterName, m.group(5), "cluster of " + node.name);
    node.configVersion = Long.parseLong(m.group(3));
    node.memberId = m.group(4);
    log(node.name + " serving (member " + node.memberId + ", version " + node.configVersion + ")");
  }

  /**
   * SIGTERM to all three at once; each drains, leaves and exits with 143. The signal goes through
   * the ProcessHandle: Process.destroy() would also close our end of the node's output pipe, and
   * with it what the node prints while it stops.
   */
  private void stopAll() throws Exception {
    for (NodeProcess node : nodes) {
      node.process.toHandle().destroy();
    }
    for (NodeProcess node : nodes) {
      assertTrue(node.process.waitFor(30, TimeUnit.SECONDS), "node " + node.name + " did not exit after SIGTERM");
      assertEquals(143, node.process.exitValue(), "exit status of " + node.name + " after SIGTERM");
      node.ended.get(10, TimeUnit.SECONDS);
      assertTrue(node.tail().contains("GridGate node stopped."), "node " + node.name + " did not finish its drain");
    }
    http = newHttpClient(); // no pooled connections to the stopped nodes
  }

  /**
   * One node JVM. Its stdout and stderr are read on background threads (so the pipes never fill)
   * and the last lines of both are kept. They are not merged into one pipe: the node's log lines
   * (stderr) could then split its "serving" line (stdout).
   */
  private static final class NodeProcess {
    final String name;
    final Process process;
    final CompletableFuture<Matcher> serving = new CompletableFuture<>();
    final CompletableFuture<Void> ended;
    private final Deque<String> tail = new ArrayDeque<>();
    volatile long configVersion;
    volatile String memberId;

    NodeProcess(String name, Process process) {
      this.name = name;
      this.process = process;
      CompletableFuture<Void> out = new CompletableFuture<>();
      CompletableFuture<Void> err = new CompletableFuture<>();
      ended = CompletableFuture.allOf(out, err);
      startReader("out", process.getInputStream(), true, out);
      startReader("err", process.getErrorStream(), false, err);
    }

    private void startReader(String stream, InputStream input, boolean stdout, CompletableFuture<Void> done) {
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (tail) {
              tail.addLast(line);
              if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
              }
            }
            Matcher m = SERVING.matcher(line);
            if (stdout && !serving.isDone() && m.find()) {
              serving.complete(m);
            }
          }
        } catch (IOException ignored) {
          // the process is gone
        }
        if (stdout) {
          serving.completeExceptionally(new IllegalStateException("output ended"));
        }
        done.complete(null);
      }, "node-" + stream + "-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    String tail() {
      synchronized (tail) {
        return String.join("\n", tail);
      }
    }
  }

  private String tails() {
    StringBuilder out = new StringBuilder();
    for (NodeProcess node : started) {
      out.append("---- last output of node ").append(node.name)
          .append(node.process.isAlive() ? " (alive)" : " (exited " + node.process.exitValue() + ")")
          .append(" ----\n").append(node.tail()).append('\n');
    }
    return out.toString();
  }

  // ---- HTTP ----

  private JsonObject push(int node, long baseVersion, String template) throws Exception {
    HttpResponse<String> response = admin(node, "PUT", "/admin/config?base_version=" + baseVersion,
        template.formatted(upstreamA, upstreamB), Duration.ofSeconds(90));
    assertEquals(200, response.statusCode(), "push through " + nodes[node].name + ": " + response.body());
    return new JsonObject(response.body());
  }

  /** GET /admin/node until the node reports {@code version} (the catch-up runs every 2 s); returns it. */
  private JsonObject assertNodeStatus(int node, long version) throws Exception {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
    JsonObject status = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = admin(node, "GET", "/admin/node", null, Duration.ofSeconds(5));
        if (response.statusCode() == 200) {
          status = new JsonObject(response.body());
          if (status.getLong("applied_version") == version && "READY".equals(status.getString("status"))) {
            return status;
          }
        }
      } catch (IOException e) {
        status = new JsonObject().put("exception", e.toString());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node " + nodes[node].name + " did not report applied_version " + version
        + " and READY within " + CONVERGE_TIMEOUT + "; last /admin/node: " + status);
  }

  private HttpResponse<String> admin(int node, String method, String path, String body, Duration timeout) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPorts[node] + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[node] + path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) { // a pooled connection to an earlier incarnation of the node: once more
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    assertEquals(200, response.statusCode(), "GET " + path + " on " + nodes[node].name + ": " + response.body());
    return response;
  }

  /** Polls until the node answers {@code path} with {@code body}, within a deadline. */
  private void awaitServes(int node, String path, String body) throws Exception {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPorts[node] + path)).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && body.equals(response.body())) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node " + nodes[node].name + " did not serve " + path + " within " + CONVERGE_TIMEOUT
        + "; last answer: " + last);
  }

  private static Set<String> members(JsonObject push) {
    return push.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("member")).collect(Collectors.toSet());
  }

  private static HttpClient newHttpClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  }

  // ---- fixtures ----

  private int upstream(String name) throws Exception {
    HttpServer server = vertx.createHttpServer()
        .requestHandler(req -> req.response().end(name + " " + req.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return server.actualPort();
  }





  private void log(String message) {
    System.out.printf("[ClusterProcessTest +%5.1fs] %s%n", (System.nanoTime() - testStart) / 1e9, message);
  }
}
