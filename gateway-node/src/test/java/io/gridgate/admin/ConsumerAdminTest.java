package io.gridgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.KeyHash;
import io.gridgate.config.SecretResolver;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consumers declared in the document beside admin-API ones: a declared key from the environment
 * authenticates, the declared consumer cannot be changed through the admin API (409), both are
 * listed with their source and never with hashes; keys imported through the admin API (as a key
 * or a SHA-256) authenticate, malformed or repeated imports are refused; JWT subjects mapped to a
 * consumer give the token that consumer's groups.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerAdminTest {
  private static final String JWT_SECRET = "consumer-admin-test-hs256-secret-0123456789";
  private static final String DECLARED_KEY = "declared-key-0123456789abcdef";
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        jwt_issuers:
          main: {issuer: "https://issuer.test", algorithms: [HS256], keys: [{kid: k1, algorithm: HS256, secret: "%s"}]}
        routes:
          - {id: keyed, match: {path: {prefix: /keyed}}, upstream: app, auth: {api_key: {}}}
          - {id: gold, match: {path: {prefix: /gold}}, upstream: app, auth: {jwt: {issuers: [main]}},
             acl: {allow_groups: [gold]}}
        consumers:
          declared:
            groups: [gold]
            api_keys: [{id: main, key: "${env:DECLARED_KEY}"}]
            jwt_subjects: [declared-service]
        """.formatted(app.address(), JWT_SECRET), SecretResolver.withEnvironment(Map.of("DECLARED_KEY", DECLARED_KEY)),
        null);
  }

  @Test
  void aDeclaredConsumerAuthenticatesAndIsOwnedByTheDocument() {
    assertEquals(200, keyed(DECLARED_KEY));
    for (GatewayFixture.Reply refused : new GatewayFixture.Reply[] {
        gw.admin(HttpMethod.PUT, "/admin/consumers/declared", "{\"groups\": []}"),
        gw.admin(HttpMethod.DELETE, "/admin/consumers/declared", null),
        gw.admin(HttpMethod.POST, "/admin/consumers/declared/keys", null),
        gw.admin(HttpMethod.DELETE, "/admin/consumers/declared/keys/main", null)}) {
      assertEquals(409, refused.status(), refused.bodyString());
      assertEquals("declared_consumer", refused.json().getString("error"));
      assertTrue(refused.json().getString("message").contains("consumers.declared"), refused.bodyString());
    }
    assertEquals(200, keyed(DECLARED_KEY), "nothing changed");

    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/alice", "{\"groups\": [\"silver\"]}").status());
    JsonObject listed = gw.admin(HttpMethod.GET, "/admin/consumers", null).json();
    Map<String, String> sources = listed.getJsonArray("consumers").stream().map(c -> (JsonObject) c)
        .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("source")));
    assertEquals(Map.of("declared", "config", "alice", "admin"), sources);
    assertFalse(listed.encode().contains(KeyHash.of(DECLARED_KEY)), "no hash is shown: " + listed.encode());
    assertEquals("main", gw.admin(HttpMethod.GET, "/admin/consumers/declared", null).json().getJsonArray("keys")
        .getJsonObject(0).getString("id"));
  }

  @Test
  void keysCanBeImportedAsKeysOrHashesAndAreNeverEchoed() {
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/bob", "{\"groups\": []}").status());
    String imported = "a-key-issued-by-another-gateway-01";
    String hashed = "another-key-known-only-by-its-hash";
    String[][] refused = {
        {"{\"key\": \"short\"}", "invalid_key"},
        {"{\"key\": \"has spaces in it, sixteen+\"}", "invalid_key"},
        {"{\"sha256\": \"abc\"}", "invalid_key"},
        {"{\"key\": \"" + imported + "\", \"sha256\": \"" + KeyHash.of(hashed) + "\"}", "invalid_key"},
        {"{\"colour\": \"red\"}", "invalid_key"},
        {"[1]", "invalid_key"}};
    for (String[] c : refused) {
      GatewayFixture.Reply reply = gw.admin(HttpMethod.POST, "/admin/consumers/bob/keys", c[0]);
      assertEquals(400, reply.status(), c[0] + ": " + reply.bodyString());
      assertEquals(c[1], reply.json().getString("error"), c[0]);
    }
    GatewayFixture.Reply byKey = gw.admin(HttpMethod.POST, "/admin/consumers/bob/keys", "{\"key\": \"" + imported + "\"}");
    assertEquals(201, byKey.status(), byKey.bodyString());
    assertEquals(Set.of("consumer", "key_id", "imported"), byKey.json().fieldNames(), "the key is not echoed");
    GatewayFixture.Reply byHash = gw.admin(HttpMethod.POST, "/admin/consumers/bob/keys",
        "{\"sha256\": \"" + KeyHash.of(hashed).toUpperCase() + "\"}");
    assertEquals(201, byHash.status(), byHash.bodyString());
    assertEquals(200, keyed(imported));
    assertEquals(200, keyed(hashed));
    GatewayFixture.Reply again = gw.admin(HttpMethod.POST, "/admin/consumers/bob/keys", "{\"key\": \"" + imported + "\"}");
    assertEquals(409, again.status(), again.bodyString());
    assertEquals("key_exists", again.json().getString("error"));
    assertEquals(2, gw.admin(HttpMethod.GET, "/admin/consumers/bob", null).json().getJsonArray("keys").size());
  }

  @Test
  void jwtSubjectsMappedToAConsumerGetItsGroups() {
    assertEquals(403, bearer("svc-7"), "an unmapped subject has no group");
    GatewayFixture.Reply put = gw.admin(HttpMethod.PUT, "/admin/consumers/svc",
        "{\"groups\": [\"gold\"], \"jwt_subjects\": [\"svc-7\"]}");
    assertEquals(200, put.status(), put.bodyString());
    assertEquals("svc-7", put.json().getJsonArray("jwt_subjects").getString(0));
    assertEquals(200, bearer("svc-7"));
    assertEquals(200, bearer("declared-service"), "a subject mapped in the document");
    assertEquals(400, gw.admin(HttpMethod.PUT, "/admin/consumers/svc", "{\"jwt_subjects\": [\"\"]}").status());
    assertEquals(204, gw.admin(HttpMethod.DELETE, "/admin/consumers/svc", null).status());
    assertEquals(403, bearer("svc-7"), "a deleted consumer's subjects are unmapped");
    assertEquals(404, gw.admin(HttpMethod.GET, "/admin/consumers/svc", null).status());
  }

  private int keyed(String key) {
    return gw.send(HttpMethod.GET, "/keyed/x", Map.of("X-API-Key", key), null).status();
  }

  private int bearer(String subject) {
    long now = System.currentTimeMillis() / 1000;
    String token = TestTokens.hs256(JWT_SECRET, "k1", new JsonObject().put("iss", "https://issuer.test")
        .put("sub", subject).put("iat", now - 5).put("exp", now + 600));
    return gw.send(HttpMethod.GET, "/gold/x", Map.of("Authorization", "Bearer " + token), null).status();
  }
}
