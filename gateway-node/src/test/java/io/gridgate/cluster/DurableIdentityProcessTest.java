package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.KeyHash;
import io.gridgate.testing.NodeProcesses;
import io.gridgate.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity state across a full-cluster restart of three node JVMs: consumers, their API keys
 * (generated and imported), a deleted key, a deleted consumer and revocations of a token and of a
 * subject, all acknowledged before every node is stopped (SIGTERM) or killed (-9) at once, are
 * the state after all three start again. Consumers declared in a pushed document (a key from
 * ${env:...}, one imported as a hash) authenticate on every node and are owned by the document.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DurableIdentityProcessTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final String JWT_SECRET = "process-test-hs256-secret-0123456789abcdef";
  private static final String IMPORTED_KEY = "imported-from-another-gateway-0001";
  private static final String DECLARED_KEY = "declared-key-from-the-environment-01";
  private static final String DECLARED_IMPORTED_KEY = "declared-key-imported-as-a-hash-01";
  private static final String DOCUMENT = """
      upstreams:
        app: {targets: [{address: "127.0.0.1:%d"}]}
      jwt_issuers:
        main: {issuer: "https://issuer.test", algorithms: [HS256], keys: [{kid: k1, algorithm: HS256, secret: "%s"}]}
      routes:
        - {id: keyed, match: {path: {prefix: /keyed}}, upstream: app, auth: {api_key: {header: X-API-Key}}}
        - {id: jwt, match: {path: {prefix: /jwt}}, upstream: app, auth: {jwt: {issuers: [main]}}}
      """;
  private static final String DECLARED = """
      consumers:
        declared:
          groups: [gold]
          api_keys:
            - {key: "${env:DECLARED_KEY}"}
            - {id: imported, sha256: "%s"}
      """.formatted(KeyHash.of(DECLARED_IMPORTED_KEY));

  @TempDir
  Path dir;

  private Vertx vertx;
  private NodeProcesses nodes;
  private String document;
  private final long startedAtSeconds = System.currentTimeMillis() / 1000;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    int upstream = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    document = DOCUMENT.formatted(upstream, JWT_SECRET);
    nodes = new NodeProcesses(dir, 3, "DurableIdentityProcessTest").document(document)
        .environment("DECLARED_KEY", DECLARED_KEY);
  }

  @AfterEach
  void tearDown() throws Exception {
    nodes.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void identityStateSurvivesStoppingEveryNodeAndDeclaredConsumersWorkEverywhere() {
    nodes.withNodeOutput(() -> {
      nodes.startAll();
      Made made = makeIdentityState();
      declareConsumers();
      nodes.stopAll();
      nodes.startAll();
      assertIdentityState(made);
      for (int i = 0; i < 3; i++) {
        assertEquals(200, client(i, "/keyed", DECLARED_KEY), "the declared key on node " + i + " after the restart");
      }
    });
  }

  @Test
  void identityStateSurvivesKillingEveryNodeRightAfterTheLastAcknowledgement() {
    nodes.withNodeOutput(() -> {
      nodes.startAll();
      Made made = makeIdentityState();
      nodes.killAll();
      nodes.startAll();
      assertIdentityState(made);
    });
  }

  /** What the admin API handed out before the restart. */
  private record Made(String generatedKey, String deletedKey, String keyOfDeletedConsumer) {}

  /** Each change through another node; the last 2xx is the subject revocation on node C. */
  private Made makeIdentityState() throws Exception {
    assertStatus(200, nodes.admin(0, "PUT", "/admin/consumers/acme", "{\"groups\": [\"gold\"]}"));
    String generated = new JsonObject(assertStatus(201, nodes.admin(1, "POST", "/admin/consumers/acme/keys", null)))
        .getString("key");
    JsonObject imported = new JsonObject(assertStatus(201, nodes.admin(2, "POST", "/admin/consumers/acme/keys",
        new JsonObject().put("key", IMPORTED_KEY).encode())));
    assertFalse(imported.containsKey("key"), "an imported key is not echoed: " + imported);
    JsonObject second = new JsonObject(assertStatus(201, nodes.admin(0, "POST", "/admin/consumers/acme/keys", null)));
    assertStatus(204, nodes.admin(1, "DELETE", "/admin/consumers/acme/keys/" + second.getString("key_id"), null));
    assertStatus(200, nodes.admin(2, "PUT", "/admin/consumers/gone", "{\"groups\": []}"));
    String goneKey = new JsonObject(assertStatus(201, nodes.admin(0, "POST", "/admin/consumers/gone/keys", null)))
        .getString("key");
    assertStatus(204, nodes.admin(1, "DELETE", "/admin/consumers/gone", null));
    long expires = System.currentTimeMillis() / 1000 + 3600;
    assertStatus(201, nodes.admin(1, "POST", "/admin/revocations",
        new JsonObject().put("jti", "revoked-token").put("expires_at", expires).encode()));
    assertStatus(201, nodes.admin(2, "POST", "/admin/revocations",
        new JsonObject().put("subject", "mallory").put("expires_at", expires).encode()));
    nodes.log("identity state made; last 2xx answered");
    return new Made(generated, second.getString("key"), goneKey);
  }

  private void declareConsumers() throws Exception {
    long base = nodes.node(0).configVersion();
    JsonObject pushed = new JsonObject(assertStatus(200,
        nodes.admin(0, "PUT", "/admin/config?base_version=" + base, document + DECLARED)));
    assertEquals(new JsonArray(), pushed.getJsonArray("lagging"), pushed.encode());
    for (int i = 0; i < 3; i++) {
      assertEquals(200, client(i, "/keyed", DECLARED_KEY), "the ${env:} key on node " + i);
      assertEquals(200, client(i, "/keyed", DECLARED_IMPORTED_KEY), "the key imported as a hash on node " + i);
    }
    HttpResponse<String> refused = nodes.admin(1, "POST", "/admin/consumers/declared/keys", null);
    assertEquals(409, refused.statusCode(), refused.body());
    assertEquals("declared_consumer", new JsonObject(refused.body()).getString("error"));
    JsonObject listed = new JsonObject(assertStatus(200, nodes.admin(2, "GET", "/admin/consumers/declared", null)));
    assertEquals("config", listed.getString("source"), listed.encode());
    assertEquals(2, listed.getJsonArray("keys").size(), listed.encode());
    assertFalse(listed.encode().contains(KeyHash.of(DECLARED_KEY)), "no hash is shown: " + listed.encode());
    nodes.log("declared consumers authenticate on every node");
  }

  private void assertIdentityState(Made made) throws Exception {
    String allowed = token("alice", "fine-token");
    String revokedToken = token("alice", "revoked-token");
    String revokedSubject = token("mallory", "mallory-token");
    for (int i = 0; i < 3; i++) {
      int node = i;
      Duration took = NodeProcesses.await(CONVERGE, "node " + i + " knows the identity state made before the restart",
          () -> client(node, "/keyed", made.generatedKey()) == 200 && client(node, "/keyed", IMPORTED_KEY) == 200
              && bearer(node, revokedToken) == 401 && bearer(node, revokedSubject) == 401);
      nodes.log("node " + i + " enforces the state " + took.toMillis() + " ms after all serve");
      assertEquals(401, client(i, "/keyed", made.deletedKey()), "a deleted key stays refused on node " + i);
      assertEquals(401, client(i, "/keyed", made.keyOfDeletedConsumer()), "a deleted consumer stays deleted on node " + i);
      assertEquals(200, bearer(i, allowed), "a token not revoked on node " + i);

      JsonObject consumers = new JsonObject(assertStatus(200, nodes.admin(i, "GET", "/admin/consumers", null)));
      Set<String> ids = consumers.getJsonArray("consumers").stream().map(c -> ((JsonObject) c).getString("id"))
          .collect(Collectors.toSet());
      assertTrue(ids.contains("acme") && !ids.contains("gone"), consumers.encode());
      JsonObject acme = new JsonObject(assertStatus(200, nodes.admin(i, "GET", "/admin/consumers/acme", null)));
      assertEquals(2, acme.getJsonArray("keys").size(), "the generated and the imported key: " + acme.encode());
      assertEquals(new JsonArray(List.of("gold")), acme.getJsonArray("groups"));
      JsonArray revocations = new JsonObject(assertStatus(200, nodes.admin(i, "GET", "/admin/revocations", null)))
          .getJsonArray("revocations");
      assertTrue(revocations.encode().contains("\"revoked-token\"") && revocations.encode().contains("\"mallory\""),
          revocations.encode());
    }
  }

  /** A token issued a minute before the test began: before the subject's revocation. */
  private String token(String subject, String jti) {
    return TestTokens.hs256(JWT_SECRET, "k1", new JsonObject().put("iss", "https://issuer.test").put("sub", subject)
        .put("jti", jti).put("iat", startedAtSeconds - 60).put("exp", startedAtSeconds + 3600));
  }

  private int client(int node, String path, String key) throws Exception {
    return nodes.get(node, path, "X-API-Key", key).statusCode();
  }

  private int bearer(int node, String token) throws Exception {
    return nodes.get(node, "/jwt", "Authorization", "Bearer " + token).statusCode();
  }

  private static String assertStatus(int expected, HttpResponse<String> response) {
    assertEquals(expected, response.statusCode(), response.uri() + ": " + response.body());
    return response.body();
  }
}
