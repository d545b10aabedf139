package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Consumers, groups and API keys managed through the admin API; routes authenticated by API key
 * with group ACLs, per-consumer rate limits with tiers by group, and revocation by subject. Every
 * refusal is checked not to reach the upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessControlTest {
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - id: partners
            match: {path: {prefix: /partners}}
            upstream: app
            auth: {api_key: {header: X-API-Key, query: apikey}}
            acl: {allow_groups: [gold, silver], deny_groups: [suspended]}
            rate_limits:
              - {name: per-consumer, algorithm: token_bucket, limit: 2, window: 1h, key: consumer, tiers: {gold: 5}}
          - id: gold
            match: {path: {prefix: /gold}}
            upstream: app
            auth: {api_key: {}}
            acl: {allow_groups: [gold]}
        """.formatted(app.address()));
  }

  private String consumerWithKey(String id, String... groups) {
    JsonObject body = new JsonObject().put("groups", new io.vertx.core.json.JsonArray(List.of(groups)));
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/" + id, body.encode()).status());
    GatewayFixture.Reply key = gw.admin(HttpMethod.POST, "/admin/consumers/" + id + "/keys", null);
    assertEquals(201, key.status(), key.bodyString());
    return key.json().getString("key");
  }

  private GatewayFixture.Reply get(String uri, String key) {
    return gw.send(HttpMethod.GET, uri, key == null ? Map.of() : Map.of("X-API-Key", key), null);
  }

  @Test
  void aValidKeyPassesAndNeverReachesTheUpstreamWhileMissingOrWrongKeysGet401() {
    String alice = consumerWithKey("alice", "gold");

    GatewayFixture.Reply missing = get("/partners/x", null);
    assertEquals(401, missing.status());
    assertEquals("ApiKey realm=\"gridgate\"", missing.header("WWW-Authenticate"));
    assertEquals(401, get("/partners/x", "gg_wrong").status());
    assertEquals(0, app.requests(), "refused requests never reach the upstream");

    assertEquals(200, get("/partners/x", alice).status());
    assertNull(app.last().header("X-API-Key"), "the key is not forwarded");
    GatewayFixture.Reply byQuery = gw.get("/partners/x?a=1&apikey=" + alice + "&b=2");
    assertEquals(200, byQuery.status(), "a key in the query parameter works too");
    assertEquals("/partners/x?a=1&b=2", app.last().uri(), "and is not forwarded either");

    JsonObject listed = gw.admin(HttpMethod.GET, "/admin/consumers/alice", null).json();
    assertEquals(1, listed.getJsonArray("keys").size());
    assertTrue(!listed.encode().contains(alice) && !listed.encode().contains("sha256"), "neither the key nor its hash is shown");
  }

  @Test
  void aKeyAfterASemicolonIsPartOfAnotherParameterAndNeitherAuthenticatesNorIsCut() {
    String alice = consumerWithKey("alice", "gold");

    GatewayFixture.Reply smuggled = gw.get("/partners/x?a=1;apikey=" + alice);
    assertEquals(401, smuggled.status(), "';' does not separate parameters");
    assertEquals("an API key is required", smuggled.json().getString("message"));
    assertEquals(0, app.requests());

    String other = consumerWithKey("bob", "gold");
    assertEquals(200, gw.send(HttpMethod.GET, "/partners/x?a=1;apikey=" + alice, Map.of("X-API-Key", other), null).status());
    assertEquals("/partners/x?a=1;apikey=" + alice, app.last().uri(), "parameter a's value, as the client sent it");
  }

  @Test
  void groupsAllowAndDenyRoutesAndRefusalsNeverListTheConfiguredGroups() {
    String bob = consumerWithKey("bob", "silver");
    String eve = consumerWithKey("eve", "gold", "suspended");

    assertEquals(200, get("/partners/x", bob).status());
    GatewayFixture.Reply notGold = get("/gold/x", bob);
    assertEquals(403, notGold.status());
    assertEquals("forbidden", notGold.json().getString("error"));
    assertEquals("the caller is in none of the groups this route is for", notGold.json().getString("message"));
    GatewayFixture.Reply suspended = get("/partners/x", eve);
    assertEquals(403, suspended.status(), "a denied group wins over an allowed one");
    assertEquals("a group of the caller may not use this route", suspended.json().getString("message"));
    for (GatewayFixture.Reply refused : List.of(notGold, suspended)) {
      for (String group : List.of("gold", "silver", "suspended")) {
        assertFalse(refused.bodyString().contains(group), refused.bodyString());
        assertFalse(refused.headers().toString().contains(group), refused.headers().toString());
      }
    }
    assertEquals(1, app.requests());
  }

  @Test
  void perConsumerLimitsFollowTheTierOfTheConsumersGroup() {
    String gold = consumerWithKey("carol", "gold");
    String silver = consumerWithKey("dave", "silver");
    int goldPassed = 0;
    int silverPassed = 0;
    for (int i = 0; i < 8; i++) {
      goldPassed += get("/partners/x", gold).status() == 200 ? 1 : 0;
      silverPassed += get("/partners/x", silver).status() == 200 ? 1 : 0;
    }
    assertEquals(5, goldPassed, "the gold tier's limit");
    assertEquals(2, silverPassed, "the default limit");
    GatewayFixture.Reply refused = get("/partners/x", gold);
    assertEquals(429, refused.status());
    assertEquals("5", refused.header("RateLimit-Limit"));
  }

  @Test
  void keysRotateAndASubjectRevocationStopsItsKeys() {
    String first = consumerWithKey("frank", "gold");
    GatewayFixture.Reply second = gw.admin(HttpMethod.POST, "/admin/consumers/frank/keys", null);
    String secondKey = second.json().getString("key");
    String firstKeyId = gw.admin(HttpMethod.GET, "/admin/consumers/frank", null).json().getJsonArray("keys")
        .getJsonObject(0).getString("id");
    assertEquals(200, get("/gold/x", first).status());
    assertEquals(200, get("/gold/x", secondKey).status());

    assertEquals(204, gw.admin(HttpMethod.DELETE, "/admin/consumers/frank/keys/" + firstKeyId, null).status());
    assertEquals(401, get("/gold/x", first).status(), "a removed key is refused at once");
    assertEquals(200, get("/gold/x", secondKey).status());

    assertEquals(201, gw.admin(HttpMethod.POST, "/admin/revocations",
        new JsonObject().put("subject", "frank").encode()).status());
    GatewayFixture.Reply revoked = get("/gold/x", secondKey);
    assertEquals(401, revoked.status());
    assertTrue(revoked.header("WWW-Authenticate").contains("invalid_token"));
  }

  @Test
  void badConsumerRequestsAreRefusedWithTheReason() {
    assertEquals(400, gw.admin(HttpMethod.PUT, "/admin/consumers/bad%20id", "{\"groups\": []}").status());
    assertEquals(400, gw.admin(HttpMethod.PUT, "/admin/consumers/x", "{\"groups\": [\"a b\"]}").status());
    assertEquals(400, gw.admin(HttpMethod.PUT, "/admin/consumers/x", "{\"groups\": [], \"other\": 1}").status());
    assertEquals(400, gw.admin(HttpMethod.PUT, "/admin/consumers/x", "[]").status());
    assertEquals(404, gw.admin(HttpMethod.POST, "/admin/consumers/nobody/keys", null).status());
    assertEquals(404, gw.admin(HttpMethod.GET, "/admin/consumers/nobody", null).status());
    assertEquals(0, gw.admin(HttpMethod.GET, "/admin/consumers", null).json().getJsonArray("consumers").size());
  }
}
