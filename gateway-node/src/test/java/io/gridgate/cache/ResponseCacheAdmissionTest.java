package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.security.JwtAuthenticationTest;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cached answer never bypasses admission: authentication, revocation and rate limits run for
 * every request, hit or miss, and one consumer never sees another's cached answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResponseCacheAdmissionTest {
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void startGatewayWithCachedRoutes(Vertx vertx) {
    app = TestUpstream.start(vertx, "app", TestUpstream.scriptedHandler());
    gw = new GatewayFixture(vertx);
    gw.startGatewayWithAdmin(GatewayFixture.withApp(app) + """
        jwt_issuers:
          main: {issuer: "%s", algorithms: [HS256], keys: [{kid: h1, algorithm: HS256, secret: "%s"}]}
        routes:
          - id: mine
            match: {path: {prefix: /mine}}
            upstream: app
            auth: {jwt: {issuers: [main]}}
            cache: {ttl: 1h}
          - id: limited
            match: {path: {prefix: /limited}}
            upstream: app
            cache: {ttl: 1h}
            rate_limits:
              - {name: hourly, algorithm: token_bucket, limit: 3, window: 1h}
        """.formatted(JwtAuthenticationTest.ISS, JwtAuthenticationTest.SECRET));
  }

  private static String token(String sub, String jti) {
    return TestTokens.hs256(JwtAuthenticationTest.SECRET, "h1",
        TestTokens.claims(JwtAuthenticationTest.ISS, sub, null).put("jti", jti));
  }

  private GatewayFixture.Reply get(String uri, String token) {
    return gw.send(HttpMethod.GET, uri, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token), null);
  }

  @Test
  void consumersNeverShareAnEntryAndRefusedRequestsNeverReachIt() {
    String alice = token("alice", "a-1");
    String bob = token("bob", "b-1");
    GatewayFixture.Reply aliceMiss = get("/mine", alice);
    assertEquals("Miss", aliceMiss.header("X-Cache-Status"));
    GatewayFixture.Reply aliceHit = get("/mine", alice);
    assertEquals("Hit", aliceHit.header("X-Cache-Status"));
    assertEquals(aliceMiss.bodyString(), aliceHit.bodyString());

    GatewayFixture.Reply bobFirst = get("/mine", bob);
    assertEquals("Miss", bobFirst.header("X-Cache-Status"), "another consumer has his own entry");
    assertEquals("answer 2", bobFirst.bodyString());
    assertEquals("Hit", get("/mine", token("alice", "a-2")).header("X-Cache-Status"),
        "another token of the same consumer shares the consumer's entry");

    GatewayFixture.Reply anonymous = get("/mine", null);
    assertEquals(401, anonymous.status(), "an entry exists, yet a request without a token is refused");
    assertNull(anonymous.header("X-Cache-Status"));
    assertEquals(401, get("/mine", "not-a-token").status());

    assertEquals(201, gw.admin(HttpMethod.POST, "/admin/revocations", new JsonObject().put("jti", "a-1").encode()).status());
    GatewayFixture.Reply revoked = get("/mine", alice);
    assertEquals(401, revoked.status(), "a revoked token is refused although its answer is cached");
    assertEquals(2, app.requests());
  }

  @Test
  void hitsCountAgainstTheRateLimitAndCarryItsHeaders() {
    assertEquals("Miss", get("/limited", null).header("X-Cache-Status"));
    GatewayFixture.Reply hit = get("/limited", null);
    assertEquals("Hit", hit.header("X-Cache-Status"));
    assertEquals("1", hit.header("RateLimit-Remaining"));
    assertEquals("0", get("/limited", null).header("RateLimit-Remaining"));
    GatewayFixture.Reply refused = get("/limited", null);
    assertEquals(429, refused.status(), "a cached answer is no way around the limit");
    assertNull(refused.header("X-Cache-Status"));
    assertEquals(1, app.requests());
  }
}
