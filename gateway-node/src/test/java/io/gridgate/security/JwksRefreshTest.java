package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.distribution.ConfigService;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.ManualClock;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT keys from a JWKS served by a real HTTP server on loopback: fetched on first use, refreshed
 * when a token names an unknown kid (a rotation, without restart), at most once per
 * jwks_min_refresh however many unknown-kid tokens arrive (counted at the JWKS server). The node's
 * clock is a manual one: jwks_min_refresh passes by stepping it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JwksRefreshTest {
  private static final String ISS = "https://jwks.test";
  private final ManualClock clock = ManualClock.atSystemTime();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicReference<JsonArray> published = new AtomicReference<>(new JsonArray());
  private GatewayFixture gw;
  private TestUpstream app;
  private String sections;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx).withClock(clock);
    app = gw.echoUpstream("app");
    HttpServer jwks = GatewayFixture.await(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("keys", published.get()).encode());
    }).listen(0, "127.0.0.1"));
    sections = """
        jwt_issuers:
          idp:
            issuer: %s
            algorithms: [RS256]
            jwks_url: http://127.0.0.1:%d/.well-known/jwks.json
            jwks_min_refresh: 5s
        routes:
          - id: api
            match: {path: {prefix: /}}
            upstream: app
            auth: {jwt: {issuers: [idp]}, identity_headers: {sub: X-User-Id}}
        """.formatted(ISS, jwks.actualPort());
    gw.startGateway(GatewayFixture.withApp(app) + sections);
  }

  private int call(KeyPair key, String kid) {
    String token = TestTokens.sign("RS256", key.getPrivate(), kid, TestTokens.claims(ISS, "carol", null, clock.seconds()));
    return gw.send(HttpMethod.GET, "/x", Map.of("Authorization", "Bearer " + token), null).status();
  }

  @Test
  void anUnknownKidRefreshesTheKeysAtMostOncePerMinRefresh() {
    KeyPair first = TestTokens.rsa();
    KeyPair second = TestTokens.rsa();
    published.set(new JsonArray().add(TestTokens.rsaJwk(first.getPublic(), "k1")));

    assertEquals(200, call(first, "k1"), "keys are fetched on first use");
    assertEquals(200, call(first, "k1"));
    assertEquals(1, fetches.get(), "known kids use the cached keys");
    assertEquals("carol", app.last().header("X-User-Id"));

    int forwarded = app.requests();
    for (int i = 0; i < 20; i++) {
      assertEquals(401, call(second, "k2"), "k2 is not published");
    }
    assertEquals(1, fetches.get(), "unknown kids within jwks_min_refresh of the last fetch cause no fetch");
    assertEquals(forwarded, app.requests());

    published.set(new JsonArray().add(TestTokens.rsaJwk(second.getPublic(), "k2")));
    clock.advanceMillis(4_999);
    assertEquals(401, call(second, "k2"), "tokens kept arriving while the refresh was not due");
    clock.advanceMillis(1);
    assertEquals(200, call(second, "k2"), "jwks_min_refresh after the last fetch: the rotated key is fetched");
    assertEquals(2, fetches.get(), "the rotation cost exactly one more fetch");
    assertEquals(200, call(second, "k2"));
    assertEquals(401, call(first, "k1"), "k1 left the JWKS");
    assertEquals(2, fetches.get(), "k1 became unknown within jwks_min_refresh: no fetch");
  }

  @Test
  void aPushThatLeavesTheIssuerAloneKeepsItsKeys() {
    KeyPair key = TestTokens.rsa();
    published.set(new JsonArray().add(TestTokens.rsaJwk(key.getPublic(), "k1")));
    assertEquals(200, call(key, "k1"));
    assertEquals(1, fetches.get());

    ConfigService config = gw.node().configService();
    GatewayFixture.await(config.push(config.appliedVersion(), "upstreams:\n  app: {targets: [{address: \""
        + app.address() + "\"}]}\n" + sections + "  - {id: more, match: {path: {exact: /more}}, upstream: app}\n", "test"));
    assertEquals(2, gw.node().state().config().routes().size());
    assertEquals(200, call(key, "k1"));
    assertEquals(1, fetches.get(), "the new version uses the keys fetched before the push");
  }
}
