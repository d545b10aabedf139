package io.gridgate.testing;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.gridgate.clock.NodeClock;
import io.gridgate.cluster.ClusterJoin;
import io.gridgate.config.ClusterSettings;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.ConfigSource;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.SecretResolver;
import io.gridgate.admin.AdminToken;
import io.gridgate.node.GatewayNode;
import io.gridgate.telemetry.NodeMetrics;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

/**
 * Real gateway nodes clustered on Hazelcast in this JVM (a unique cluster name, TCP-IP on
 * 127.0.0.1, their own data dirs), two upstreams answering their names, and an HTTP client.
 */
public final class ClusterFixture implements AutoCloseable {
  static final String TOKEN = "test-admin-token";
  /** Upstreams a and b; one route /a. Formatted with the two upstream ports. */
  /** Upstreams a and b, formatted with the two upstream ports; documents add their routes after it. */
  public static final String UPSTREAMS = """
      upstreams:
        a: {targets: [{address: "127.0.0.1:%d"}]}
        b: {targets: [{address: "127.0.0.1:%d"}]}
      """;
  public static final String ROUTE_A = UPSTREAMS + """
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a}
      """;
  public static final String ROUTES_A_AND_B = ROUTE_A + """
        - {id: b, match: {path: {prefix: /b}}, upstream: b}
      """;

  private final Path dir;
  private final int expectedSize;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<GatewayNode> nodes = new ArrayList<>();
  private final String clusterName = "gridgate-test-" + UUID.randomUUID();
  private final List<Integer> memberPorts = new ArrayList<>();
  private final Vertx clientVertx = Vertx.vertx();
  public final WebClient client = WebClient.create(clientVertx);
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final int upstreamA;
  final int upstreamB;
  private boolean nodeMetrics;
  private NodeClock nodeClock = NodeClock.SYSTEM;

  public ClusterFixture(Path dir, int maxMembers, int expectedSize) throws IOException {
    this.dir = dir;
    this.expectedSize = expectedSize;
    for (int port : FreePorts.belowEphemeralRange(maxMembers)) {
      memberPorts.add(port);
    }
    upstreamA = upstream("upstream-a");
    upstreamB = upstream("upstream-b");
  }

  /** Nodes started from now on serve the node's Prometheus metrics (this JVM's nodes share one registry). */
  public ClusterFixture withNodeMetrics() {
    nodeMetrics = true;
    return this;
  }

  /**
   * Nodes started from now on time their circuit breakers, passive ejection, cached answers and rate
   * limiters by {@code clock}, and so do their members' entry processors (breaker and bucket state).
   */
  public ClusterFixture withClock(ManualClock clock) {
    nodeClock = clock.nodeClock();
    return this;
  }

  public GatewayNode node(int index) {
    return nodes.get(index);
  }

  public int size() {
    return nodes.size();
  }

  /** Starts member {@code index} (members join in index order) and waits until it serves. */
  public GatewayNode startNode(int index) {
    return startNode(index, SecretResolver.system());
  }

  /** {@link #startNode(int)} for a member resolving secret references with {@code secrets}. */
  public GatewayNode startNode(int index, SecretResolver secrets) {
    return startNode(index, secrets, ROUTE_A, ConfigSource.CLUSTER);
  }

  /** {@link #startNode(int)} from a file whose shared part is {@code fileTemplate}, {@code source} winning at start. */
  public GatewayNode startNode(int index, String fileTemplate, ConfigSource source) {
    return startNode(index, SecretResolver.system(), fileTemplate, source);
  }

  private GatewayNode startNode(int index, SecretResolver secrets, String fileTemplate, ConfigSource source) {
    ClusterSettings cluster = new ClusterSettings(clusterName, memberPorts.get(index), false,
        memberPorts.stream().map(p -> "127.0.0.1:" + p).toList(), null, expectedSize, Duration.ofMillis(500),
        dir.resolve("node-" + index)).withConfigSource(source);
    GatewayConfig config = new ConfigParser().parse("""
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
        """ + shared(fileTemplate));
    config = config.withNode(config.node().withCluster(cluster));
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(2);
    if (nodeMetrics) {
      options.setMetricsOptions(NodeMetrics.options());
    }
    ClusterJoin.Joined joined = await(ClusterJoin.join(options, NodeTracing.OFF, cluster, dir,
        NodeMetrics::gridCallMetrics, nodeClock.millis()));
    vertxes.add(joined.vertx());
    GatewayNode node = await(GatewayNode.start(joined.vertx(), config, joined.membership(), AdminToken.of(TOKEN),
        cluster.dataDir().resolve("snapshot.json"), secrets, nodeClock));
    nodes.add(node);
    return node;
  }

  /** A document template filled with the upstream ports. */
  public String shared(String template) {
    return template.formatted(upstreamA, upstreamB);
  }

  public HttpResponse<Buffer> push(int node, long base, String template) {
    return admin(node, HttpMethod.PUT, "/admin/config?base_version=" + base, shared(template));
  }

  public HttpResponse<Buffer> admin(int node, HttpMethod method, String uri, String body) {
    var request = client.request(method, nodes.get(node).adminPort(), "127.0.0.1", uri).bearerTokenAuthentication(TOKEN);
    return await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }

  public HttpResponse<Buffer> get(int node, String path) {
    return await(client.get(nodes.get(node).httpPort(), "127.0.0.1", path).send());
  }

  /** GET {@code path} on node {@code node} as the client named in X-Client. */
  public HttpResponse<Buffer> get(int node, String path, String clientName) {
    return await(request(node, path, clientName));
  }

  public Future<HttpResponse<Buffer>> request(int node, String path, String clientName) {
    return client.get(nodes.get(node).httpPort(), "127.0.0.1", path).putHeader("X-Client", clientName).send();
  }

  /** Requests each upstream ("upstream-a", "upstream-b") has received. */
  public int hits(String upstream) {
    return hits.computeIfAbsent(upstream, k -> new AtomicInteger()).get();
  }

  private int upstream(String name) {
    AtomicInteger count = hits.computeIfAbsent(name, k -> new AtomicInteger());
    HttpServer server = await(clientVertx.createHttpServer()
        .requestHandler(req -> {
          count.incrementAndGet();
          req.response().end(name);
        }).listen(0, "127.0.0.1"));
    return server.actualPort();
  }



  /** Waits up to 30 s (a machine running three members may be loaded) for {@code condition}, failing with {@code what} otherwise. */
  public static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
    GatewayFixture.awaitCondition(what, Duration.ofSeconds(30), condition);
  }


  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Kills member {@code index}'s Hazelcast instance the hard way (no graceful leave, no migration first), like kill -9. */
  public void terminateMember(int index) {
    member(index).getLifecycleService().terminate();
  }

  /** The live Hazelcast member of node {@code index}. */
  public HazelcastInstance member(int index) {
    int port = memberPorts.get(index);
    return Hazelcast.getAllHazelcastInstances().stream()
        .filter(hz -> clusterName.equals(hz.getConfig().getClusterName()))
        .filter(hz -> hz.getCluster().getLocalMember().getAddress().getPort() == port)
        .findFirst().orElseThrow();
  }

  @Override
  public void close() {
    for (Vertx vertx : vertxes) {
      await(vertx.close().recover(err -> Future.succeededFuture()));
    }
    await(clientVertx.close());
  }
}
