package io.gridgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.admin.AdminToken;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.node.GatewayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted on an edited file with its disk snapshot of an earlier version (a standalone
 * node, as after a first start of the demo): with {@code config_source: cluster} it serves the
 * snapshot's version and reports the difference (a WARNING, {@code file} in /ready and
 * /admin/node, a banner line); with {@code config_source: file} it pushes the file as a new version
 * and serves it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileDriftTest {
  private static final String TOKEN = "file-drift-token";
  private static final String FIRST = """
      upstreams:
        u: {targets: [{address: "127.0.0.1:9"}]}
        v: {targets: [{address: "127.0.0.1:9"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: u}
        - {id: gone, match: {path: {prefix: /gone}}, upstream: v}
      """;
  /** Route a changed, route b added, route gone and upstream v removed. */
  private static final String EDITED = """
      upstreams:
        u: {targets: [{address: "127.0.0.1:9"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}, methods: [GET]}, upstream: u}
        - {id: b, match: {path: {prefix: /b}}, upstream: u}
      """;

  @TempDir
  Path dir;

  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger driftLog = Logger.getLogger(FileDrift.class.getName());
  private final HttpClient http = HttpClient.newHttpClient();
  private GatewayNode node;

  @BeforeEach
  void captureWarnings() {
    driftLog.addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    driftLog.removeHandler(capture);
    stop();
  }

  @Test
  void anEditedFileIsReportedLoudlyWhileTheSnapshotsVersionIsServed() throws Exception {
    start(FIRST, "cluster");
    assertNull(node.fileDifference(), "a node seeded from its file serves its file");
    assertFalse(fileStatus("/ready").getBoolean("differs"));
    stop();

    start(EDITED, "cluster");
    assertEquals(1, node.configService().appliedVersion(), "the snapshot's version wins");
    assertEquals(List.of("a", "gone"), routeIds());
    assertEquals(1, warnings.size(), "one WARNING at start: " + warnings);
    String warning = warnings.get(0).getMessage();
    for (String part : List.of("version 1", "routes only in the file [b], only in the cluster [gone], changed [a]",
        "upstreams only in the cluster [v]", "config_source: file")) {
      assertTrue(warning.contains(part), "the WARNING names " + part + ": " + warning);
    }
    assertEquals(node.fileDifference(), warning, "the serving banner's line");

    for (String path : List.of("/ready", "/admin/node")) {
      JsonObject file = fileStatus(path);
      assertEquals("cluster", file.getString("config_source"), path);
      assertTrue(file.getBoolean("differs"), path + ": " + file);
      JsonObject routes = file.getJsonObject("changes").getJsonObject("routes");
      assertEquals(new JsonArray().add("b"), routes.getJsonArray("added"), path + ": only in the file");
      assertEquals(new JsonArray().add("gone"), routes.getJsonArray("removed"), path + ": only in the cluster");
      assertEquals(new JsonArray().add("a"), routes.getJsonArray("changed"), path);
    }
  }

  @Test
  void withConfigSourceFileTheEditedFileIsPushedOnTopAndServed() throws Exception {
    start(FIRST, "file");
    assertEquals(1, node.configService().appliedVersion());
    stop();

    start(EDITED, "file");
    assertEquals(2, node.configService().appliedVersion(), "the file's document is a new version over the snapshot's");
    assertEquals(List.of("a", "b"), routeIds());
    assertNull(node.fileDifference());
    assertTrue(warnings.isEmpty(), "no WARNING: " + warnings);
    assertFalse(fileStatus("/ready").getBoolean("differs"));
    JsonArray versions = new JsonObject(admin("/admin/config/versions").body()).getJsonArray("versions");
    assertEquals(2, versions.size(), versions.encode());
    assertEquals("file:standalone", versions.getJsonObject(1).getString("origin"), versions.encode());
    stop();

    start(EDITED, "file");
    assertEquals(2, node.configService().appliedVersion(), "an unchanged file pushes nothing");
  }

  private void start(String shared, String source) throws Exception {
    GatewayConfig config = new ConfigParser().parse("""
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
          drain_timeout: 1s
          cluster: {config_source: %s}
        """.formatted(source) + shared);
    node = await(GatewayNode.start(Vertx.vertx(), config, Membership.standalone(), AdminToken.of(TOKEN),
        dir.resolve("config-snapshot.json")));
  }

  private void stop() throws Exception {
    if (node != null) {
      await(node.drainAndStop());
      node = null;
    }
  }

  private List<String> routeIds() {
    return node.state().config().routes().stream().map(r -> r.id()).toList();
  }

  /** The {@code file} object of /ready's check data or of /admin/node. */
  private JsonObject fileStatus(String path) throws Exception {
    JsonObject body = new JsonObject(admin(path).body());
    JsonObject status = path.equals("/ready") ? body.getJsonArray("checks").getJsonObject(0).getJsonObject("data") : body;
    return status.getJsonObject("file");
  }

  private HttpResponse<String> admin(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
