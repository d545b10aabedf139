package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dot segments, plain or percent-encoded, sent raw over a socket: they are resolved before routing,
 * so they can never reach the {@code /public} route as if they were under {@code /public}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PathTraversalTest {
  private static final List<String> ESCAPES_TO_ADMIN = List.of(
      "/public/../admin",
      "/public/%2e%2e/admin",
      "/public/%2E%2E%2Fadmin",
      "/public/..%2fadmin",
      "/public/.%2E/admin",
      "/public/%2e%2e%5cadmin",
      "/public/./x/../../admin",
      "/public//..//admin");

  private GatewayFixture gw;
  private TestUpstream publicApp;
  private TestUpstream adminApp;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    publicApp = gw.echoUpstream("public");
    adminApp = gw.echoUpstream("admin");
  }

  private void startWithRoutes(boolean withAdminRoute) {
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          public: {targets: [{address: "%s"}]}
          admin: {targets: [{address: "%s"}]}
        routes:
          - {id: public, match: {path: {prefix: /public}}, upstream: public}
        """.formatted(publicApp.address(), adminApp.address())
        + (withAdminRoute ? "  - {id: admin, match: {path: {prefix: /admin}}, upstream: admin}\n" : ""));
  }

  private RawHttp.Response rawGet(String target) {
    return gw.raw("GET " + target + " HTTP/1.1\r\nHost: gw.test\r\n\r\n");
  }

  @Test
  void dotSegmentsOutOfPublicAreNormalisedAndAnsweredByTheAdminRoute() {
    startWithRoutes(true);

    for (String target : ESCAPES_TO_ADMIN) {
      RawHttp.Response response = rawGet(target);
      assertEquals(200, response.status(), target);
      assertEquals("admin", response.header(TestUpstream.SERVED_BY), target);
      assertEquals("/admin", adminApp.last().uri(), "path the admin upstream received for " + target);
    }
    assertEquals(ESCAPES_TO_ADMIN.size(), adminApp.requests());
    assertEquals(0, publicApp.requests());
  }

  @Test
  void dotSegmentsOutOfPublicAre404WhenNoRouteMatchesTheNormalisedPath() {
    startWithRoutes(false);

    for (String target : ESCAPES_TO_ADMIN) {
      RawHttp.Response response = rawGet(target);
      assertEquals(404, response.status(), target);
      assertEquals("no_route", new JsonObject(response.body()).getString("error"), target);
    }
    assertEquals(0, publicApp.requests());
    assertEquals(0, adminApp.requests());
  }

  @Test
  void climbingAboveTheRootStaysAtTheRoot() {
    startWithRoutes(true);

    assertEquals(404, rawGet("/public/../../../../etc/passwd").status());
    assertEquals(200, rawGet("/../../admin/panel").status());

    assertEquals("/admin/panel", adminApp.last().uri());
    assertEquals(0, publicApp.requests());
  }

  @Test
  void dotSegmentsThatStayInsidePublicReachPublicWithTheNormalisedPathAndQuery() {
    startWithRoutes(true);

    RawHttp.Response response = rawGet("/public/a/./b/../c?x=1&y=%2e%2e");

    assertEquals(200, response.status());
    assertEquals("public", response.header(TestUpstream.SERVED_BY));
    assertEquals("/public/a/c?x=1&y=%2e%2e", publicApp.last().uri());
  }

  @Test
  void unreservedEscapesAreDecodedAndOthersForwardedEncoded() {
    startWithRoutes(true);

    RawHttp.Response response = rawGet("/public/a%20b/%41%3f");

    assertEquals(200, response.status());
    assertEquals("/public/a%20b/A%3F", publicApp.last().uri());
  }

  @Test
  void encodedNulInThePathIs400() {
    startWithRoutes(true);

    RawHttp.Response response = rawGet("/public/%00/admin");

    assertEquals(400, response.status());
    assertEquals(0, publicApp.requests() + adminApp.requests());
  }
}
