package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT authentication with configured keys, over real sockets: tokens of each algorithm pass and
 * the upstream sees the identity but not the credential; every kind of bad token gets a 401 with
 * a Bearer challenge and never reaches the upstream; tokens in a query parameter or a cookie.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class JwtAuthenticationTest {
  public static final String ISS = "https://issuer.test";
  public static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";
  private static KeyPair rsa;
  private static KeyPair ec;
  private static KeyPair otherRsa;
  private static KeyPair ed;

  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeAll
  static void keys() {
    rsa = TestTokens.rsa();
    ec = TestTokens.ec();
    otherRsa = TestTokens.rsa();
    ed = TestTokens.ed25519();
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.withApp(app) + """
        jwt_issuers:
          main:
            issuer: %s
            audiences: [api]
            algorithms: [RS256, PS256, ES256, HS256, EdDSA]
            roles_claim: groups
            keys:
              - {kid: r1, algorithm: RS256, pem: "%s"}
              - {kid: r1, algorithm: PS256, pem: "%s"}
              - {kid: e1, algorithm: ES256, pem: "%s"}
              - {kid: h1, algorithm: HS256, secret: "%s"}
              - {kid: d1, algorithm: EdDSA, pem: "%s"}
          rsonly:
            issuer: https://rs-only.test
            algorithms: [RS256]
            keys: [{algorithm: RS256, pem: "%s"}]
          by-query:
            issuer: https://query.test
            algorithms: [RS256]
            keys: [{algorithm: RS256, pem: "%s"}]
            token: {query: access_token}
          by-cookie:
            issuer: https://cookie.test
            algorithms: [RS256]
            keys: [{algorithm: RS256, pem: "%s"}]
            token: {cookie: at}
        routes:
          - id: api
            match: {path: {prefix: /api}}
            upstream: app
            auth:
              jwt: {issuers: [main, rsonly]}
              identity_headers: {sub: X-User-Id, roles: X-User-Roles, tenant: X-Tenant}
          - id: query
            match: {path: {prefix: /q}}
            upstream: app
            auth: {jwt: {issuers: [by-query]}, identity_headers: {sub: X-User-Id}}
          - id: cookie
            match: {path: {prefix: /c}}
            upstream: app
            auth: {jwt: {issuers: [by-cookie]}, identity_headers: {sub: X-User-Id}}
          - id: pass
            match: {path: {prefix: /pass}}
            upstream: app
            auth: {jwt: {issuers: [rsonly]}, pass_credential: true}
        """.formatted(ISS, TestTokens.pemForYaml(rsa.getPublic()), TestTokens.pemForYaml(rsa.getPublic()),
        TestTokens.pemForYaml(ec.getPublic()), SECRET, TestTokens.pemForYaml(ed.getPublic()),
        TestTokens.pemForYaml(rsa.getPublic()),
        TestTokens.pemForYaml(rsa.getPublic()), TestTokens.pemForYaml(rsa.getPublic())));
  }

  private GatewayFixture.Reply call(String uri, Map<String, String> headers) {
    return gw.send(HttpMethod.GET, uri, headers, null);
  }

  private GatewayFixture.Reply bearer(String token) {
    return call("/api/x", Map.of("Authorization", "Bearer " + token));
  }

  private static JsonObject claims() {
    return TestTokens.claims(ISS, "alice", "api");
  }

  /** A 401 with an invalid_token challenge whose description contains {@code description}; the upstream saw nothing. */
  private void assertRejected(String token, String description) {
    int before = app.requests();
    GatewayFixture.Reply reply = bearer(token);
    assertEquals(401, reply.status(), reply.bodyString());
    assertEquals("unauthorized", reply.json().getString("error"));
    String challenge = reply.header("WWW-Authenticate");
    assertTrue(challenge.startsWith("Bearer realm=\"gridgate\", error=\"invalid_token\", error_description=\""), challenge);
    assertTrue(challenge.contains(description), challenge + " should say " + description);
    assertEquals(before, app.requests(), "a rejected request never reaches the upstream");
  }

  private void assertPasses(String token) {
    int before = app.requests();
    GatewayFixture.Reply reply = bearer(token);
    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals(before + 1, app.requests());
    assertEquals("alice", app.last().header("X-User-Id"));
    assertNull(app.last().header("Authorization"), "the credential is stripped");
  }

  @Test
  void tokensOfEveryConfiguredAlgorithmPassAndTheUpstreamSeesTheIdentityNotTheCredential() {
    assertPasses(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims()));
    assertPasses(TestTokens.sign("PS256", rsa.getPrivate(), "r1", claims()));
    assertPasses(TestTokens.sign("ES256", ec.getPrivate(), "e1", claims()));
    assertPasses(TestTokens.hs256(SECRET, "h1", claims()));
    assertPasses(TestTokens.sign("EdDSA", ed.getPrivate(), "d1", claims()));
    assertPasses(TestTokens.sign("RS256", rsa.getPrivate(), null, claims()));
  }

  @Test
  void rolesAndAnyClaimBecomeHeadersAndSpoofedIdentityHeadersAreReplaced() {
    JsonObject claims = claims().put("groups", new JsonArray().add("admin")).put("tenant", "t-42");
    GatewayFixture.Reply reply = call("/api/x", Map.of(
        "Authorization", "Bearer " + TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims),
        "X-User-Id", "mallory", "X-User-Roles", "superuser", "X-Tenant", "t-1"));
    assertEquals(200, reply.status());
    assertEquals("alice", app.last().header("X-User-Id"));
    assertEquals("admin", app.last().header("X-User-Roles"));
    assertEquals("t-42", app.last().header("X-Tenant"));
    assertEquals(1, app.last().headers().getAll("X-User-Id").size());

    // a token without the claim: the client's copy is still removed
    call("/api/x", Map.of("Authorization", "Bearer " + TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims()),
        "X-User-Roles", "superuser"));
    assertNull(app.last().header("X-User-Roles"));
  }

  @Test
  void aMissingCredentialGetsAChallengeWithoutAnErrorAttribute() {
    GatewayFixture.Reply reply = call("/api/x", Map.of("X-User-Id", "mallory"));
    assertEquals(401, reply.status());
    assertEquals("Bearer realm=\"gridgate\"", reply.header("WWW-Authenticate"));
    assertEquals("unauthorized", reply.json().getString("error"));
    assertEquals(reply.header("X-Request-Id"), reply.json().getString("request_id"));
    assertEquals(401, call("/api/x", Map.of("Authorization", "Basic YWxpY2U6c2VjcmV0")).status());
    assertEquals(0, app.requests());
  }

  @Test
  void unsignedTokensAreRejected() {
    assertRejected(TestTokens.unsignedToken(claims()), "malformed token");
    assertRejected(TestTokens.unsignedToken(claims()) + "c2ln", "algorithm not accepted");
  }

  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRejected() {
    JsonObject rsOnly = TestTokens.claims("https://rs-only.test", "alice", null);
    assertRejected(TestTokens.hs256(TestTokens.pem(rsa.getPublic()), null, rsOnly), "algorithm not accepted");
    // the issuer that allows HS256 too never uses its RSA key as an HMAC secret
    assertRejected(TestTokens.hs256(TestTokens.pem(rsa.getPublic()), "r1", claims()), "invalid signature");
  }

  @Test
  void timeClaimsAreCheckedWithTheClockSkew() {
    long now = System.currentTimeMillis() / 1000;
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("exp", now - 120)), "token expired");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("nbf", now + 120)), "not yet valid");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("iat", now + 120)), "not yet valid");
    assertPasses(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("exp", now - 10)));
    assertPasses(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("nbf", now + 10)));
  }

  @Test
  void issuerAudienceAndSignatureMustMatch() {
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("iss", "https://evil.test")),
        "untrusted issuer");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("aud", "other")),
        "audience not accepted");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims().put("aud", new JsonArray().add("x"))),
        "audience not accepted");
    JsonObject noAudience = claims();
    noAudience.remove("aud");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", noAudience), "audience not accepted");
    assertRejected(TestTokens.sign("RS256", otherRsa.getPrivate(), "r1", claims()), "invalid signature");
    assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "nope", claims()), "unknown key id");
  }

  @Test
  void aCriticalHeaderIsRefusedWhateverItNames() {
    for (Object crit : List.of(new JsonArray().add("exp"), new JsonArray().add("x-extension"), new JsonArray(), "b64")) {
      JsonObject header = TestTokens.header("HS256", "h1").put("crit", crit);
      assertRejected(TestTokens.hs256WithHeader(SECRET, header, claims()), "unsupported critical header");
    }
  }

  @Test
  void validlySignedTokensWithRegisteredClaimsOfTheWrongTypeAreMalformedNeverA503() {
    long now = System.currentTimeMillis() / 1000;
    List<JsonObject> wrongTypes = List.of(
        claims().put("exp", Long.toString(now + 3600)), claims().put("nbf", "yesterday"),
        claims().put("iat", new JsonObject()), claims().putNull("exp"), claims().put("exp", true),
        claims().put("aud", 42), claims().put("sub", 7));
    for (JsonObject wrong : wrongTypes) {
      assertRejected(TestTokens.hs256(SECRET, "h1", wrong), "malformed token");
      assertRejected(TestTokens.sign("RS256", rsa.getPrivate(), "r1", wrong), "malformed token");
    }
    assertRejected(TestTokens.hs256WithHeader(SECRET, TestTokens.header("HS256", null).put("kid", 1), claims()),
        "malformed token");
  }

  @Test
  void malformedTokensAreRejectedWithoutServerErrors() {
    String good = TestTokens.sign("RS256", rsa.getPrivate(), "r1", claims());
    assertRejected(good.substring(0, good.length() - 10), "invalid signature");
    assertRejected(good.substring(0, good.lastIndexOf('.')), "malformed token");
    assertRejected("not-a-jwt", "malformed token");
    assertRejected("a.b.c", "malformed token");
    assertRejected("e30.e30.e30", "untrusted issuer");
    String deep = "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}"; // deeper than Jackson allows
    for (String json : List.of("null", "[1]", "\"s\"", "{\"alg\":", deep)) {
      String segment = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
      assertRejected(segment + ".e30.c2ln", "malformed token");
      assertRejected("eyJhbGciOiJIUzI1NiJ9." + segment + ".c2ln", "malformed token");
    }

    int before = app.requests();
    GatewayFixture.Reply huge = bearer("x".repeat(10 * 1024));
    assertEquals(431, huge.status(), "a 10 KB header exceeds the 8 KB header limit: " + huge.bodyString());
    assertEquals(before, app.requests());
    GatewayFixture.Reply longInQuery = call("/q/x?access_token=" + "x".repeat(3 * 1024), Map.of());
    assertEquals(401, longInQuery.status());
    assertEquals(before, app.requests());
  }

  @Test
  void tokensFromAQueryParameterOrACookieAreStrippedBeforeForwarding() {
    String query = TestTokens.sign("RS256", rsa.getPrivate(), null, TestTokens.claims("https://query.test", "alice", null));
    GatewayFixture.Reply reply = call("/q/items?a=1&access_token=" + query + "&b=2", Map.of());
    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals("/q/items?a=1&b=2", app.last().uri());
    assertEquals("alice", app.last().header("X-User-Id"));
    assertEquals(200, call("/q/items?access_token=" + query, Map.of()).status());
    assertEquals("/q/items", app.last().uri());
    GatewayFixture.Reply afterSemicolon = call("/q/items?a=1;access_token=" + query, Map.of());
    assertEquals(401, afterSemicolon.status(), "';' does not separate parameters: no access_token here");
    assertEquals("a bearer token is required", afterSemicolon.json().getString("message"));

    String cookie = TestTokens.sign("RS256", rsa.getPrivate(), null, TestTokens.claims("https://cookie.test", "alice", null));
    reply = call("/c/x", Map.of("Cookie", "theme=dark; at=" + cookie + "; lang=en"));
    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals("theme=dark; lang=en", app.last().header("Cookie"));
    assertEquals("alice", app.last().header("X-User-Id"));

    int before = app.requests();
    assertEquals(401, call("/q/items", Map.of("Authorization", "Bearer " + query)).status(), "token in the wrong place");
    assertEquals(401, call("/c/x", Map.of("Cookie", "at=" + query)).status(), "issuer of another route");
    assertEquals(before, app.requests());
  }

  @Test
  void passCredentialForwardsTheAuthorizationHeader() {
    String token = TestTokens.sign("RS256", rsa.getPrivate(), null, TestTokens.claims("https://rs-only.test", "bob", null));
    assertEquals(200, call("/pass/x", Map.of("Authorization", "Bearer " + token)).status());
    assertEquals("Bearer " + token, app.last().header("Authorization"));
    assertFalse(app.last().headers().contains("X-User-Id"));
  }
}
