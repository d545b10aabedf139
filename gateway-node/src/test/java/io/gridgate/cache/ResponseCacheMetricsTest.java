package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.telemetry.NodeMetrics;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.PrometheusScrape;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cache's meters (requests by result, stored bytes and entries) scraped from a real node, and its access-log field. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseCacheMetricsTest {
  @TempDir
  Path dir;
  private GatewayFixture gw;

  @AfterEach
  void tearDown() {
    GatewayFixture.await(gw.vertx.close());
  }

  @Test
  void requestsAreCountedByResultAndTheStoreIsMeasuredAndLogged() {
    gw = new GatewayFixture(Vertx.vertx(new VertxOptions().setMetricsOptions(NodeMetrics.options())));
    TestUpstream app = gw.upstream("app", TestUpstream.scriptedHandler());
    Path log = dir.resolve("access.log");
    gw.startGatewayWithAdmin(GatewayFixture.withApp(app, "access_log: {enabled: true, output: \"" + log + "\"}") + """
        routes:
          - {id: metered, match: {path: {prefix: /m}}, upstream: app, cache: {}}
          - {id: unmetered, match: {path: {prefix: /u}}, upstream: app}
        """);
    gw.get("/m/a?size=1000");
    gw.get("/m/a?size=1000");
    gw.get("/m/a?size=1000");
    gw.send(HttpMethod.POST, "/m/a", Map.of(), "x");
    gw.send(HttpMethod.GET, "/m/a?size=1000", Map.of("Cache-Control", "no-cache"), null);
    gw.get("/u");

    PrometheusScrape metrics = new PrometheusScrape(gw.admin(HttpMethod.GET, "/metrics", null).bodyString());
    String[] route = {"member", "standalone", "route", "metered"};
    assertEquals(1, metrics.value("gridgate_cache_requests_total", with(route, "result", "miss")));
    assertEquals(2, metrics.value("gridgate_cache_requests_total", with(route, "result", "hit")));
    assertEquals(1, metrics.value("gridgate_cache_requests_total", with(route, "result", "bypass")));
    assertEquals(1, metrics.value("gridgate_cache_requests_total", with(route, "result", "refresh")));
    assertTrue(metrics.find("gridgate_cache_requests_total", "route", "unmetered").isEmpty(), "a route without cache");
    assertEquals(1, metrics.value("gridgate_cache_entries", "member", "standalone"));
    double bytes = metrics.value("gridgate_cache_size_bytes", "member", "standalone");
    assertTrue(bytes > 1000 && bytes < 2000, "one entry of a 1000-byte body: " + bytes);

    List<JsonObject> lines = GatewayFixture.awaitJsonLines(log, 6);
    assertEquals(List.of("Miss", "Hit", "Hit", "Bypass", "Refresh"),
        lines.subList(0, 5).stream().map(line -> line.getString("cache")).toList());
    assertNull(lines.get(5).getString("cache"), "no cache field on a route without cache");
  }

  private static String[] with(String[] labels, String name, String value) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
    all[labels.length] = name;
    all[labels.length + 1] = value;
    return all;
  }
}
