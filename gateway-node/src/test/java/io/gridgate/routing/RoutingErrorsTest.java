package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
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

/** The gateway's own answers when no route fits: 404 and 405 with JSON bodies, never reaching an upstream. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoutingErrorsTest {
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
          - {id: read, match: {path: {prefix: /items}, methods: [GET, HEAD]}, upstream: app}
          - {id: write, match: {path: {exact: /items/new}, methods: [POST]}, upstream: app}
          - {id: internal, match: {path: {prefix: /internal}, hosts: [admin.example]}, upstream: app}
        """.formatted(app.address()));
  }

  @Test
  void unmatchedPathGets404JsonWithErrorMessageAndRequestId() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/nothing/here", Map.of("X-Request-Id", "trace-404"), null);

    assertEquals(404, reply.status());
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
    JsonObject body = reply.json();
    assertEquals("no_route", body.getString("error"));
    assertTrue(body.getString("message").contains("/nothing/here"), body.getString("message"));
    assertEquals("trace-404", body.getString("request_id"));
    assertEquals("trace-404", reply.header("X-Request-Id"));
    assertEquals(0, app.requests());
  }

  @Test
  void generatedRequestIdInAnErrorBodyMatchesTheResponseHeader() {
    GatewayFixture.Reply reply = gw.get("/nothing");

    assertEquals(404, reply.status());
    assertTrue(reply.json().getString("request_id").matches("[0-9a-f]{32}"));
    assertEquals(reply.json().getString("request_id"), reply.header("X-Request-Id"));
  }

  @Test
  void routeWithAnotherHostIsA404() {
    RawHttp.Response other = gw.raw("GET /internal/x HTTP/1.1\r\nHost: www.example\r\n\r\n");
    RawHttp.Response admin = gw.raw("GET /internal/x HTTP/1.1\r\nHost: admin.example:8080\r\n\r\n");

    assertEquals(404, other.status());
    assertEquals("no_route", new JsonObject(other.body()).getString("error"));
    assertEquals(200, admin.status());
    assertEquals(1, app.requests());
  }

  @Test
  void wrongMethodGets405WithAllowListingTheMatchingRoutesMethods() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.DELETE, "/items/7", Map.of(), null);

    assertEquals(405, reply.status());
    assertEquals("GET, HEAD", reply.header("Allow"));
    JsonObject body = reply.json();
    assertEquals("method_not_allowed", body.getString("error"));
    assertTrue(body.getString("message").contains("DELETE"), body.getString("message"));
    assertEquals(reply.header("X-Request-Id"), body.getString("request_id"));
    assertEquals(0, app.requests());
  }

  @Test
  void allowUnionsTheMethodsOfEveryRouteWhosePathMatches() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/items/new", Map.of(), "x");

    assertEquals(405, reply.status());
    assertEquals("GET, HEAD, POST", reply.header("Allow"));
  }

  @Test
  void allowedMethodsStillReachTheUpstream() {
    assertEquals(200, gw.get("/items/7").status());
    assertEquals(200, gw.send(HttpMethod.POST, "/items/new", Map.of(), "x").status());
    assertEquals(2, app.requests());
  }
}
