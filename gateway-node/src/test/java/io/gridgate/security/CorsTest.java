package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS per route: preflights answered at the gateway (never forwarded, even on routes restricted
 * to other methods), refused for other origins and methods; CORS headers on actual requests from
 * allowed origins only.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CorsTest {
  private static final String APP = "https://app.example";
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - id: orders
            match: {path: {prefix: /orders}, methods: [GET, PUT]}
            upstream: app
            response_headers: {set: {X-Total: "7"}}
            cors:
              allow_origins: ["%s", "https://admin.example"]
              allow_headers: [Authorization, Content-Type]
              expose_headers: [X-Total]
              allow_credentials: true
              max_age: 10m
          - id: public
            match: {path: {prefix: /public}}
            upstream: app
            cors: {allow_origins: ["*"], allow_methods: [GET]}
          - id: plain
            match: {path: {prefix: /plain}, methods: [GET]}
            upstream: app
        """.formatted(app.address(), APP));
  }

  private GatewayFixture.Reply preflight(String uri, String origin, String method) {
    return gw.send(HttpMethod.OPTIONS, uri, Map.of("Origin", origin, "Access-Control-Request-Method", method,
        "Access-Control-Request-Headers", "authorization"), null);
  }

  @Test
  void preflightFromAnAllowedOriginIsAnsweredByTheGatewayOnAGetPutRoute() {
    GatewayFixture.Reply reply = preflight("/orders/1", APP, "PUT");

    assertEquals(204, reply.status());
    assertEquals(APP, reply.header("Access-Control-Allow-Origin"));
    assertEquals("Origin", reply.header("Vary"));
    assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
    assertTrue(reply.header("Access-Control-Allow-Methods").contains("PUT"), reply.header("Access-Control-Allow-Methods"));
    assertEquals("Authorization, Content-Type", reply.header("Access-Control-Allow-Headers"));
    assertEquals("600", reply.header("Access-Control-Max-Age"));
    assertEquals(0, reply.body().length());
    assertEquals(0, app.requests());
  }

  @Test
  void preflightFromAnotherOriginOrForAnotherMethodIsRefused() {
    GatewayFixture.Reply otherOrigin = preflight("/orders/1", "https://evil.example", "PUT");
    GatewayFixture.Reply otherMethod = preflight("/orders/1", APP, "DELETE");
    GatewayFixture.Reply nullOrigin = preflight("/public", "null", "GET");

    for (GatewayFixture.Reply reply : new GatewayFixture.Reply[] {otherOrigin, otherMethod, nullOrigin}) {
      assertEquals(403, reply.status());
      assertEquals("cors_denied", reply.json().getString("error"));
      assertNull(reply.header("Access-Control-Allow-Origin"));
    }
    assertEquals(0, app.requests());
  }

  @Test
  void wildcardOriginRouteEchoesTheOriginWithoutCredentials() {
    GatewayFixture.Reply reply = preflight("/public/x", "https://anyone.example", "GET");

    assertEquals(204, reply.status());
    assertEquals("https://anyone.example", reply.header("Access-Control-Allow-Origin"));
    assertNull(reply.header("Access-Control-Allow-Credentials"));
    assertEquals("GET", reply.header("Access-Control-Allow-Methods"));
  }

  @Test
  void actualRequestFromAnAllowedOriginGetsCorsHeaders() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/orders/1", Map.of("Origin", APP), null);

    assertEquals(200, reply.status());
    assertEquals(APP, reply.header("Access-Control-Allow-Origin"));
    assertEquals("true", reply.header("Access-Control-Allow-Credentials"));
    assertEquals("X-Total", reply.header("Access-Control-Expose-Headers"));
    assertTrue(reply.headers().getAll("Vary").contains("Origin"), reply.headers().getAll("Vary").toString());
    assertEquals(1, app.requests());
  }

  @Test
  void actualRequestFromAnotherOriginIsForwardedWithoutCorsHeaders() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/orders/1", Map.of("Origin", "https://evil.example"), null);
    GatewayFixture.Reply sameOrigin = gw.get("/orders/1");

    assertEquals(200, reply.status());
    assertNull(reply.header("Access-Control-Allow-Origin"));
    assertNull(reply.header("Access-Control-Allow-Credentials"));
    assertEquals(200, sameOrigin.status());
    assertNull(sameOrigin.header("Access-Control-Allow-Origin"));
    assertEquals(2, app.requests());
  }

  @Test
  void optionsWithoutPreflightHeadersAndRoutesWithoutCorsKeepTheirMethodRules() {
    assertEquals(405, gw.send(HttpMethod.OPTIONS, "/orders/1", Map.of("Origin", APP), null).status());
    assertEquals(405, preflight("/plain", APP, "GET").status());
    assertEquals(0, app.requests());
  }
}
