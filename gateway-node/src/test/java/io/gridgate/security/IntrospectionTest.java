package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OAuth2 token introspection (RFC 7662) against an authorization server stub on loopback: active
 * and inactive tokens, positive and negative caching (counted at the stub), a cache entry never
 * outliving the token's exp, JWT and introspection on one route, and an unreachable server. The
 * node's clock (and the stub's) is a manual one: cache lifetimes pass by stepping it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntrospectionTest {
  private static final String BASIC = "Basic " + Base64.getEncoder()
      .encodeToString("gateway:s3cret%".replace("%", "%25").getBytes(StandardCharsets.UTF_8));
  private final List<String> introspected = new CopyOnWriteArrayList<>();
  private final KeyPair rsa = TestTokens.rsa();
  private final ManualClock clock = ManualClock.atSystemTime();
  private GatewayFixture gw;
  private TestUpstream app;
  /** The exp of token "short", set by the test that uses it. */
  private volatile long shortExp;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx).withClock(clock);
    app = gw.echoUpstream("app");
    HttpServer server = GatewayFixture.await(vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> {
          String form = body.toString();
          if (!BASIC.equals(request.getHeader("Authorization")) || !form.endsWith("&token_type_hint=access_token")) {
            request.response().setStatusCode(401).end();
            return;
          }
          String token = form.substring("token=".length(), form.indexOf('&'));
          introspected.add(token);
          long now = clock.seconds();
          JsonObject answer = switch (token) {
            case "good" -> new JsonObject().put("active", true).put("sub", "dave").put("scope", "read write")
                .put("exp", now + 3600);
            case "short" -> new JsonObject().put("active", true).put("sub", "erin").put("exp", shortExp);
            default -> new JsonObject().put("active", false);
          };
          request.response().putHeader("Content-Type", "application/json").end(answer.encode());
        })).listen(0, "127.0.0.1"));
    gw.startGateway(GatewayFixture.withApp(app) + """
        jwt_issuers:
          main:
            issuer: https://issuer.test
            algorithms: [RS256]
            keys: [{algorithm: RS256, pem: "%s"}]
        oauth2_servers:
          corp:
            introspection_url: http://127.0.0.1:%d/introspect
            client_id: gateway
            client_secret: "s3cret%%"
            cache_ttl: 1h
            negative_cache_ttl: 2s
            cache_size: 100
          down:
            introspection_url: http://127.0.0.1:%d/introspect
            client_id: gateway
            client_secret: x
        routes:
          - id: api
            match: {path: {prefix: /api}}
            upstream: app
            auth:
              jwt: {issuers: [main]}
              oauth2: {server: corp}
              identity_headers: {sub: X-User-Id, scope: X-Scopes}
          - id: down
            match: {path: {prefix: /down}}
            upstream: app
            auth: {oauth2: {server: down}}
        """.formatted(TestTokens.pemForYaml(rsa.getPublic()), server.actualPort(), GatewayFixture.deadPort()));
  }

  private GatewayFixture.Reply call(String path, String token) {
    return gw.send(HttpMethod.GET, path, Map.of("Authorization", "Bearer " + token), null);
  }

  @Test
  void anActiveTokenPassesOnceIntrospectedAndIsCached() {
    GatewayFixture.Reply reply = call("/api/x", "good");
    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals("dave", app.last().header("X-User-Id"));
    assertEquals(Set.of("read", "write"), Set.of(app.last().header("X-Scopes").split(" ")));
    assertNull(app.last().header("Authorization"));
    for (int i = 0; i < 5; i++) {
      assertEquals(200, call("/api/x", "good").status());
    }
    assertEquals(List.of("good"), introspected, "one introspection for six requests");
  }

  @Test
  void anInactiveTokenIs401AndNegativelyCachedForItsTtl() {
    GatewayFixture.Reply reply = call("/api/x", "revoked");
    assertEquals(401, reply.status());
    assertTrue(reply.header("WWW-Authenticate").contains("error_description=\"token is not active\""));
    assertEquals(401, call("/api/x", "revoked").status());
    assertEquals(1, introspected.size(), "the second answer came from the negative cache");
    clock.advanceMillis(2_100); // past negative_cache_ttl (2 s)
    assertEquals(401, call("/api/x", "revoked").status());
    assertEquals(2, introspected.size(), "negative_cache_ttl over: asked again");
    assertEquals(0, app.requests());
  }

  @Test
  void aCachedAnswerNeverOutlivesTheTokensExp() {
    shortExp = clock.seconds() + 3;
    assertEquals(200, call("/api/x", "short").status());
    assertEquals(200, call("/api/x", "short").status());
    assertEquals(1, introspected.size());
    clock.advance(Duration.ofSeconds(4)); // the token expires
    int forwarded = app.requests();
    assertEquals(401, call("/api/x", "short").status(), "cache_ttl is 1h, but exp has passed");
    assertEquals(2, introspected.size());
    assertEquals(forwarded, app.requests());
  }

  @Test
  void jwtsAreVerifiedLocallyAndOtherTokensIntrospected() {
    String jwt = TestTokens.sign("RS256", rsa.getPrivate(), null,
        TestTokens.claims("https://issuer.test", "frank", null, clock.seconds()));
    assertEquals(200, call("/api/x", jwt).status());
    assertEquals("frank", app.last().header("X-User-Id"));
    assertEquals(List.of(), introspected, "a verified JWT needs no introspection");
    assertEquals(200, call("/api/x", "good").status());
    assertEquals(List.of("good"), introspected);

    String foreign = TestTokens.sign("RS256", TestTokens.rsa().getPrivate(), null,
        TestTokens.claims("https://elsewhere.test", "frank", null, clock.seconds()));
    GatewayFixture.Reply reply = call("/api/x", foreign);
    assertEquals(401, reply.status());
    assertEquals(List.of("good", foreign), introspected, "a JWT the issuers refuse may still be an active token");
  }

  @Test
  void anUnreachableIntrospectionServerIs503() {
    GatewayFixture.Reply reply = call("/down/x", "good");
    assertEquals(503, reply.status());
    assertEquals("auth_unavailable", reply.json().getString("error"));
    assertEquals(0, app.requests());
  }
}
