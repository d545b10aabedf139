package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens together with the rest of the chain: revocation by jti and by subject, scope ACLs, the
 * groups of a token's registered consumer, and a route that takes either an API key or a JWT.
 * The node's clock is a manual one: token lifetimes pass by stepping it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenAccessTest {
  private static final String ISS = "https://issuer.test";
  private static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";
  private final ManualClock clock = ManualClock.atSystemTime();
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx).withClock(clock);
    app = gw.echoUpstream("app");
    gw.startGatewayWithAdmin(GatewayFixture.withApp(app) + """
        jwt_issuers:
          main:
            issuer: %s
            algorithms: [HS256]
            keys: [{kid: h1, algorithm: HS256, secret: "%s"}]
          strict:
            issuer: https://strict.test
            algorithms: [HS256]
            clock_skew: 0s
            keys: [{kid: h1, algorithm: HS256, secret: "%s"}]
        routes:
          - id: strict
            match: {path: {prefix: /strict}}
            upstream: app
            auth: {jwt: {issuers: [strict]}}
          - id: orders
            match: {path: {prefix: /orders}}
            upstream: app
            auth: {jwt: {issuers: [main]}, identity_headers: {sub: X-User-Id}}
            acl: {scopes: ["orders:read"]}
          - id: partners
            match: {path: {prefix: /partners}}
            upstream: app
            auth: {jwt: {issuers: [main]}, api_key: {}, identity_headers: {sub: X-User-Id}}
            acl: {allow_groups: [partners]}
          - id: buyers
            match: {path: {prefix: /buyers}}
            upstream: app
            auth: {jwt: {issuers: [main]}}
            acl: {roles: [buyer, approver]}
        """.formatted(ISS, SECRET, SECRET));
  }

  private String token(String sub, String jti, String scope, long issuedAgoSeconds) {
    JsonObject claims = claims(ISS, sub).put("jti", jti).put("scope", scope);
    claims.put("iat", claims.getLong("iat") - issuedAgoSeconds);
    return TestTokens.hs256(SECRET, "h1", claims);
  }

  /** Claims issued now by the node's clock, for an hour. */
  private JsonObject claims(String iss, String sub) {
    return TestTokens.claims(iss, sub, null, clock.seconds());
  }

  private GatewayFixture.Reply get(String uri, Map<String, String> headers) {
    return gw.send(HttpMethod.GET, uri, headers, null);
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  @Test
  void aRevokedJtiAndARevokedSubjectAreRefusedAtOnce() {
    String first = token("alice", "t-1", "orders:read", 60);
    String second = token("alice", "t-2", "orders:read", 60);
    assertEquals(200, get("/orders", bearer(first)).status());

    assertEquals(201, gw.admin(HttpMethod.POST, "/admin/revocations", new JsonObject().put("jti", "t-1").encode()).status());
    GatewayFixture.Reply revoked = get("/orders", bearer(first));
    assertEquals(401, revoked.status());
    assertTrue(revoked.header("WWW-Authenticate").contains("revoked"), revoked.header("WWW-Authenticate"));
    assertEquals(200, get("/orders", bearer(second)).status(), "another token of the subject still works");

    long now = clock.seconds();
    assertEquals(201, gw.admin(HttpMethod.POST, "/admin/revocations",
        new JsonObject().put("subject", "alice").put("issued_before", now - 30).encode()).status());
    assertEquals(401, get("/orders", bearer(second)).status(), "issued 60 s ago, before the cut-off");
    assertEquals(200, get("/orders", bearer(token("alice", "t-3", "orders:read", 0))).status(),
        "a token issued after the cut-off works");
    assertEquals(3, app.requests());
  }

  @Test
  void aRevocationEndsAtItsExpiresAtByTheNodesClock() {
    String token = token("dan", "t-7", "orders:read", 0);
    assertEquals(201, gw.admin(HttpMethod.POST, "/admin/revocations",
        new JsonObject().put("jti", "t-7").put("expires_at", clock.seconds() + 60).encode()).status());
    assertEquals(401, get("/orders", bearer(token)).status());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(200, get("/orders", bearer(token)).status(), "expires_at has passed: the entry no longer counts");
    assertEquals(1, app.requests());
  }

  @Test
  void aRememberedTokenIsNeverAcceptedPastItsExpiry() {
    long exp = clock.seconds() + 5;
    String token = TestTokens.hs256(SECRET, "h1", claims("https://strict.test", "carol").put("exp", exp));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, get("/strict", bearer(token)).status(), "verified once, then remembered");
    }
    clock.advance(Duration.ofSeconds(6)); // more than a second past exp
    GatewayFixture.Reply expired = get("/strict", bearer(token));
    assertEquals(401, expired.status());
    assertEquals("token expired", expired.json().getString("message"));
  }

  @Test
  void aTokenIsAcceptedFromItsNbfByTheNodesClock() {
    long nbf = clock.seconds() + 10;
    String token = TestTokens.hs256(SECRET, "h1", claims("https://strict.test", "carol").put("nbf", nbf));
    GatewayFixture.Reply early = get("/strict", bearer(token));
    assertEquals(401, early.status());
    assertEquals("token not yet valid", early.json().getString("message"));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(200, get("/strict", bearer(token)).status(), "nbf has come on the node's clock");
    assertEquals(1, app.requests());
  }

  @Test
  void aTokenWithoutTheRequiredScopeGets403NamingTheScopeOnlyInTheChallenge() {
    GatewayFixture.Reply refused = get("/orders", bearer(token("bob", "t-9", "profile", 0)));
    assertEquals(403, refused.status());
    assertEquals("insufficient_scope", refused.json().getString("error"));
    assertEquals("the credential lacks a scope this route needs", refused.json().getString("message"));
    assertFalse(refused.bodyString().contains("orders:read"), refused.bodyString());
    assertTrue(refused.header("WWW-Authenticate").contains("scope=\"orders:read\""));
    assertEquals(0, app.requests());
  }

  @Test
  void aTokenWithoutTheRequiredRolesGets403WithoutTheRoleList() {
    JsonObject claims = claims(ISS, "carol").put("roles", new JsonArray().add("buyer"));
    GatewayFixture.Reply refused = get("/buyers", bearer(TestTokens.hs256(SECRET, "h1", claims)));
    assertEquals(403, refused.status());
    assertEquals("forbidden", refused.json().getString("error"));
    assertEquals("the credential lacks a role this route needs", refused.json().getString("message"));
    assertFalse(refused.bodyString().contains("approver"), refused.bodyString());
    claims.put("roles", new JsonArray().add("buyer").add("approver"));
    assertEquals(200, get("/buyers", bearer(TestTokens.hs256(SECRET, "h1", claims))).status());
    assertEquals(1, app.requests());
  }

  @Test
  void aRouteTakesAnApiKeyOrATokenAndGroupsComeFromTheRegisteredConsumer() {
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/acme",
        new JsonObject().put("groups", new JsonArray(List.of("partners"))).encode()).status());
    String key = gw.admin(HttpMethod.POST, "/admin/consumers/acme/keys", null).json().getString("key");

    Map<String, String> spoofed = new HashMap<>(Map.of("X-API-Key", key, "X-User-Id", "admin"));
    assertEquals(200, get("/partners", spoofed).status(), "by API key");
    assertEquals("acme", app.last().header("X-User-Id"), "identity headers come from the proven identity");
    assertNull(app.last().header("X-API-Key"));

    assertEquals(200, get("/partners", bearer(token("acme", "t-5", "", 0))).status(),
        "a token whose subject is a registered consumer gets its groups");
    assertEquals(403, get("/partners", bearer(token("stranger", "t-6", "", 0))).status(),
        "a valid token of a subject outside the group");
    GatewayFixture.Reply none = get("/partners", Map.of());
    assertEquals(401, none.status());
    assertEquals(401, get("/partners", Map.of("X-API-Key", "gg_wrong")).status());
    assertEquals(2, app.requests());
  }
}
