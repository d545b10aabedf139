package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gridgate.dashboards.Executables;
import io.gridgate.dashboards.MetricsCheck;
import io.gridgate.dashboards.MonitoringFiles;
import io.gridgate.dashboards.MonitoringFiles.Query;
import io.gridgate.dashboards.MonitoringFiles.Source;
import io.gridgate.dashboards.PrometheusServer;
import io.gridgate.dashboards.Scrape;
import io.gridgate.testing.ClusterFixture;
import io.gridgate.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alerts are true to what nodes serve: three real members take traffic that
 * answers 2xx, 4xx (no route, upstream 404, rate limited) and 5xx (upstream 500, dead target, open
 * breaker); every metric, label and literal label value of every panel, variable and alert rule is
 * then in their {@code /metrics}. Where the Debian {@code prometheus} binary is installed, a real
 * Prometheus scrapes the nodes and every panel query and variable answers data.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardMetricsTest {
  /** Grafana's variables as a user would pick them; $node is set to the first node's member id. */
  private static final Map<String, String> VARIABLES = Map.of("route", "app", "upstream", ".*",
      "__rate_interval", "10s", "__interval", "5s", "__range", "1m");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)\\}?");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
  private static final int LIMIT = 5;

  @TempDir
  static Path dir;
  private static ClusterFixture cluster;
  private static Vertx upstreamVertx;

  @BeforeAll
  static void startClusterAndDriveTraffic() throws Exception {
    upstreamVertx = Vertx.vertx();
    int app1 = upstream();
    int app2 = upstream();
    int deadPort = FreePorts.belowEphemeralRange(1)[0];
    cluster = new ClusterFixture(dir, 3, 3).withNodeMetrics();
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
    HttpResponse<Buffer> pushed = cluster.push(0, 1, """
        upstreams:
          app:
            targets: [{address: "127.0.0.1:APP1"}, {address: "127.0.0.1:APP2"}]
            health_check: {active: {path: /health, interval: 1s, timeout: 1s, healthy_threshold: 1, unhealthy_threshold: 2}}
            bulkhead: {max_concurrent: 100}
          broken:
            targets: [{address: "127.0.0.1:DEAD"}]
            health_check: {passive: {max_failures: 0}}
            circuit_breaker: {consecutive_failures: 3, open_for: 5m}
        routes:
          - {id: app, match: {path: {prefix: /app}}, upstream: app}
          - id: limited
            match: {path: {prefix: /limited}}
            upstream: app
            rate_limits: [{name: per-client, algorithm: token_bucket, limit: LIMIT, window: 1m}]
          - {id: broken, match: {path: {prefix: /broken}}, upstream: broken, retries: {attempts: 0}}
        """.replace("APP1", Integer.toString(app1)).replace("APP2", Integer.toString(app2))
        .replace("DEAD", Integer.toString(deadPort)).replace("LIMIT", Integer.toString(LIMIT)));
    assertEquals(200, pushed.statusCode(), pushed.bodyAsString());
    for (int i = 0; i < 3; i++) {
      for (int round = 0; round < 3; round++) {
        traffic(i);
      }
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(503, cluster.get(i, "/broken").statusCode(), "the breaker is open on node " + i);
      assertEquals(429, cluster.get(i, "/limited").statusCode(), "the limit rejects on node " + i);
    }
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    await(upstreamVertx.close());
  }

  /** Answers /health with 200 and /app/status/NNN with NNN; anything else with 200. */
  private static int upstream() {
    HttpServer server = await(upstreamVertx.createHttpServer().requestHandler(request -> {
      String path = request.path();
      int status = path.matches(".*/status/\\d{3}") ? Integer.parseInt(path.substring(path.length() - 3)) : 200;
      request.response().setStatusCode(status).end("ok");
    }).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  /** One round of requests through node {@code node}: 2xx, 404s, 500, 502 or 503, 429. */
  private static void traffic(int node) {
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (String path : List.of("/app/a", "/app/b", "/app/status/404", "/app/status/500", "/nowhere", "/broken",
        "/limited", "/limited")) {
      replies.add(cluster.request(node, path, "dashboards"));
    }
    replies.forEach(ClusterFixture::await);
  }

  @Test
  void everyMetricAndLabelOfEveryPanelVariableAndAlertIsInTheNodesScrapes() {
    Scrape scrape = scrapeAll();
    assertEquals(3, scrape.labels("gridgate_config_applied_version").get("member").size(), "three members scraped");
    List<Query> queries = MonitoringFiles.all();
    List<String> problems = MetricsCheck.problems(queries, scrape);
    assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
    System.out.printf("%d panel, variable and alert queries checked against %d series names%n",
        queries.size(), scrape.metrics().size());
  }

  @Test
  void aRealPrometheusScrapingTheNodesAnswersEveryPanelAndVariable() throws Exception {
    Path binary = Executables.find("prometheus").orElse(null);
    assumeTrue(binary != null, "prometheus is not installed here (apt-get install prometheus); CI installs it");
    Path work = Files.createDirectories(dir.resolve("prometheus"));
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      targets.add("127.0.0.1:" + cluster.node(i).adminPort());
    }
    try (PrometheusServer prometheus = PrometheusServer.start(binary, work, targets)) {
      String node = cluster.node(0).configService().memberId();
      Map<String, String> pending = new LinkedHashMap<>();
      for (Query query : MonitoringFiles.all()) {
        if (query.source() != Source.ALERT) {
          pending.put(query.where(), promql(query.expr(), node));
        }
      }
      // Traffic flows while Prometheus scrapes; a rate needs two scrapes of a series in its window,
      // which a starved machine may take a while to make, so queries without data are asked again.
      long trafficAtLeastUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      Map<String, String> empty = new LinkedHashMap<>();
      for (int round = 0; ; round++) {
        traffic(round % 3);
        Thread.sleep(100);
        if (System.nanoTime() < trafficAtLeastUntil || round % 10 != 0) {
          continue;
        }
        prometheus.awaitTargetsUp(3);
        empty.clear();
        for (Map.Entry<String, String> query : pending.entrySet()) {
          JsonArray result = prometheus.query(query.getValue());
          if (!hasAFiniteValue(result)) {
            empty.put(query.getKey(), query.getValue() + " -> " + result.encode());
          }
        }
        pending.keySet().retainAll(empty.keySet());
        if (pending.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
      }
      assertTrue(empty.isEmpty(), empty.size() + " queries without data:\n" + String.join("\n",
          empty.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
    }
  }

  /** The PromQL Grafana would send: variables replaced, label_values(m, l) as count by (l) (m). */
  private static String promql(String expr, String node) {
    Matcher variable = VARIABLE.matcher(expr);
    String replaced = variable.replaceAll(m -> Matcher.quoteReplacement(
        m.group(1).equals("node") ? node : VARIABLES.getOrDefault(m.group(1), m.group())));
    Matcher labelValues = LABEL_VALUES.matcher(replaced);
    return labelValues.matches() ? "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")" : replaced;
  }

  private static boolean hasAFiniteValue(JsonArray result) {
    for (Object series : result) {
      double value = Double.parseDouble(((JsonObject) series).getJsonArray("value").getString(1));
      if (Double.isFinite(value)) {
        return true;
      }
    }
    return false;
  }

  private static Scrape scrapeAll() {
    Scrape scrape = new Scrape();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> metrics = await(cluster.client.get(cluster.node(i).adminPort(), "127.0.0.1", "/metrics").send());
      assertEquals(200, metrics.statusCode());
      scrape.add(metrics.bodyAsString());
    }
    return scrape;
  }
}
