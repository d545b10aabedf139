package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.NodeProcesses;
import io.gridgate.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node JVMs; node B is frozen (SIGSTOP) for 20 s while node A revokes a token, deletes an API
 * key and creates a consumer with a new key. Once B is back it must refuse the revoked token and the
 * deleted key and accept the new key within the documented bound (2 s), checked here with a margin
 * for a loaded 2-core machine; the measured times are printed. Twice: with Hazelcast's default
 * heartbeat timeout (60 s) B stays a member and is back at SIGCONT; with a 10 s timeout B is
 * removed, forms a cluster of its own on resuming and is back once it merged (MERGED in its log):
 * the events published meanwhile never reach it, so only reconciliation brings it up to date.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterPauseTest {
  private static final String ISSUER = "https://issuer.pause.test";
  private static final String SECRET = "pause-test-hs256-secret-0123456789abcdef";
  private static final Duration PAUSE = Duration.ofSeconds(20);
  /** The documented bound (docs/operations.md) is 2 s; the margin covers a loaded 2-core CI machine. */
  private static final Duration BOUND_WITH_MARGIN = Duration.ofSeconds(6);
  private static final String DOCUMENT = """
      upstreams:
        app: {targets: [{address: "127.0.0.1:%d"}]}
      jwt_issuers:
        main:
          issuer: %s
          algorithms: [HS256]
          keys: [{kid: k1, algorithm: HS256, secret: "%s"}]
      routes:
        - {id: keys, match: {path: {prefix: /keys}}, upstream: app, auth: {api_key: {}}}
        - {id: tokens, match: {path: {prefix: /tokens}}, upstream: app, auth: {jwt: {issuers: [main]}}}
      """;

  @TempDir
  Path dir;

  private Vertx vertx;
  private NodeProcesses nodes;
  private final ExecutorService admin = Executors.newFixedThreadPool(3);

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    HttpServer app = vertx.createHttpServer().requestHandler(req -> req.response().end("app " + req.path()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    nodes = new NodeProcesses(dir, 3, "ClusterPauseTest").document(DOCUMENT.formatted(app.actualPort(), ISSUER, SECRET));
  }

  @AfterEach
  void tearDown() throws Exception {
    admin.shutdownNow();
    nodes.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aResumedMemberHonoursWhatChangedWhileItWasFrozen() {
    nodes.withNodeOutput(() -> {
      long resumed = pauseAndChange();
      Duration converged = awaitConverged("SIGCONT", resumed);
      assertTrue(converged.compareTo(BOUND_WITH_MARGIN) <= 0,
          "B converged " + converged.toMillis() + " ms after SIGCONT; bound with margin " + BOUND_WITH_MARGIN.toMillis() + " ms");
    });
  }

  @Test
  void aMemberRemovedWhileFrozenHonoursWhatChangedOnceItMergedBack() {
    nodes.jvmArgs(List.of("-Dhazelcast.max.no.heartbeat.seconds=10", "-Dhazelcast.heartbeat.interval.seconds=1",
        "-Dhazelcast.merge.first.run.delay.seconds=5", "-Dhazelcast.merge.next.run.delay.seconds=5"));
    nodes.withNodeOutput(() -> {
      long resumed = pauseAndChange();
      NodeProcesses.await(Duration.ofSeconds(60), "B merged back into the cluster",
          () -> !nodes.node(1).linesContaining("is MERGED").isEmpty());
      // the node's log line carries the wall-clock time of the merge; moved onto this JVM's nanosecond clock
      String line = nodes.node(1).linesContaining("is MERGED").get(0);
      long agoMillis = System.currentTimeMillis() - Instant.parse(line.substring(0, line.indexOf(' '))).toEpochMilli();
      long merged = System.nanoTime() - agoMillis * 1_000_000;
      nodes.log("B merged " + Duration.ofNanos(merged - resumed).toMillis() + " ms after SIGCONT");
      Duration converged = awaitConverged("its merge", merged);
      assertTrue(converged.compareTo(BOUND_WITH_MARGIN) <= 0,
          "B converged " + converged.toMillis() + " ms after its merge; bound with margin " + BOUND_WITH_MARGIN.toMillis() + " ms");
    });
  }

  private String token;
  private JsonObject oldKey;
  private CompletableFuture<HttpResponse<String>> revoked;
  private CompletableFuture<HttpResponse<String>> deleted;
  private CompletableFuture<JsonObject> created;

  /** Starts the nodes, freezes B, makes the changes through A, resumes B; answers when B was resumed. */
  private long pauseAndChange() throws Exception {
    nodes.startAll();
    oldKey = newKey("alice");
    token = TestTokens.hs256(SECRET, "k1", TestTokens.claims(ISSUER, "bob", null).put("jti", "t-revoked"));
    for (int i = 0; i < 3; i++) {
      int node = i;
      NodeProcesses.await(Duration.ofSeconds(20), "node " + node + " accepts alice's key and bob's token",
          () -> status(node, "/keys", "X-API-Key", oldKey.getString("key")) == 200
              && status(node, "/tokens", "Authorization", "Bearer " + token) == 200);
    }

    nodes.pause(1);
    Thread.sleep(PAUSE.toMillis() / 2);
    // a change whose key B owns waits for B; the calls run aside and the pause goes on regardless
    revoked = async(() -> nodes.admin(0, "POST", "/admin/revocations",
        new JsonObject().put("jti", "t-revoked").encode()));
    deleted = async(() -> nodes.admin(0, "DELETE",
        "/admin/consumers/alice/keys/" + oldKey.getString("key_id"), null));
    created = async(() -> newKey("carol"));
    Thread.sleep(PAUSE.toMillis() / 2);
    nodes.resume(1);
    return System.nanoTime();
  }

  /** Waits until B honours every change; answers the time since {@code sinceNanos} ({@code since} names it). */
  private Duration awaitConverged(String since, long sinceNanos) throws Exception {
    assertEquals(201, revoked.get(90, TimeUnit.SECONDS).statusCode(), "revocation through A");
    assertEquals(204, deleted.get(90, TimeUnit.SECONDS).statusCode(), "key deletion through A");
    String newKey = created.get(90, TimeUnit.SECONDS).getString("key");
    NodeProcesses.await(Duration.ofSeconds(60), "resumed B refuses the revoked token and the deleted key, accepts the new key",
        () -> status(1, "/tokens", "Authorization", "Bearer " + token) == 401
            && status(1, "/keys", "X-API-Key", oldKey.getString("key")) == 401
            && status(1, "/keys", "X-API-Key", newKey) == 200);
    Duration converged = Duration.ofNanos(System.nanoTime() - sinceNanos);
    nodes.log("B converged " + converged.toMillis() + " ms after " + since);
    return converged;
  }

  private JsonObject newKey(String consumer) throws Exception {
    HttpResponse<String> put = nodes.admin(0, "PUT", "/admin/consumers/" + consumer, "{\"groups\": []}");
    assertTrue(put.statusCode() / 100 == 2, "consumer " + consumer + ": " + put.body());
    HttpResponse<String> key = nodes.admin(0, "POST", "/admin/consumers/" + consumer + "/keys", null);
    assertEquals(201, key.statusCode(), "key of " + consumer + ": " + key.body());
    return new JsonObject(key.body());
  }

  private int status(int node, String path, String header, String value) throws Exception {
    return nodes.get(node, path, header, value).statusCode();
  }

  private <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, admin);
  }
}
