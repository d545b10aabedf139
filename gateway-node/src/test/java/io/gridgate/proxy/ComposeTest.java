package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** API composition through a real gateway: parts called at once on real upstreams, merged, failed, timed out and limited. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComposeTest {
  private GatewayFixture gw;
  private TestUpstream users;
  private TestUpstream orders;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    users = gw.upstream("users", request -> json(request, "{\"id\":\"" + request.path().substring(7) + "\",\"name\":\"ann\"}"));
    orders = gw.upstream("orders", request -> json(request, "[{\"order\":1},{\"order\":2}]"));
  }

  private static void json(HttpServerRequest request, String body) {
    request.response().putHeader("Content-Type", "application/json").end(body);
  }

  /** Route {@code dashboard}: parts profile and orders, and a part {@code other} on {@code otherPath} of a third upstream. */
  private void start(String otherPath, Handler<HttpServerRequest> otherHandler, boolean otherOptional, String routeExtras) {
    TestUpstream third = gw.upstream("other", otherHandler);
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          users: {targets: [{address: "%s"}]}
          orders: {targets: [{address: "%s"}]}
          other: {targets: [{address: "%s"}]}
        routes:
          - id: dashboard
            match: {path: {template: "/dashboard/{user}"}, methods: [GET, HEAD]}
            compose:
              parts:
                - {name: profile, upstream: users, path: "/users/{user}"}
                - {name: orders, upstream: orders, path: "/orders?user={user}"}
                - {name: other, upstream: other, path: "%s", optional: %s}
        %s
        """.formatted(users.address(), orders.address(), third.address(), otherPath, otherOptional, routeExtras));
  }

  private void start(String otherPath, Handler<HttpServerRequest> otherHandler) {
    start(otherPath, otherHandler, false, "");
  }

  @Test
  void partsAreCalledWithTheTemplateParametersAndMergedByName() {
    start("/recommendations/{user}", request -> json(request, "{\"items\":[]}"));

    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/dashboard/42", Map.of("X-Tenant", "t-1"), null);

    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals("application/json", reply.header("Content-Type"));
    assertEquals(new JsonObject("{\"profile\":{\"id\":\"42\",\"name\":\"ann\"},\"orders\":[{\"order\":1},{\"order\":2}],"
        + "\"other\":{\"items\":[]}}"), reply.json());
    assertEquals("/users/42", users.last().uri());
    assertEquals("/orders?user=42", orders.last().uri());
    assertEquals("t-1", orders.last().headers().get("X-Tenant"), "the client's end-to-end headers reach every part");
    assertEquals(reply.header("X-Request-Id"), users.last().headers().get("X-Request-Id"));
    assertNull(reply.header(Composer.PARTIAL));
  }

  @Test
  void headAnswersWithTheHeadOnly() {
    start("/other", request -> json(request, "{}"));

    GatewayFixture.Reply reply = gw.send(HttpMethod.HEAD, "/dashboard/1", Map.of(), null);

    assertEquals(200, reply.status());
    assertEquals("", reply.bodyString());
    assertTrue(Integer.parseInt(reply.header("Content-Length")) > 0);
  }

  @Test
  void aFailedOptionalPartIsNullAndNamedInAHeader() {
    start("/broken", TestUpstream.statusHandler(500), true, "");

    GatewayFixture.Reply reply = gw.get("/dashboard/7");

    assertEquals(200, reply.status(), reply.bodyString());
    assertEquals("other", reply.header(Composer.PARTIAL));
    assertTrue(reply.json().containsKey("other"));
    assertNull(reply.json().getValue("other"));
    assertEquals("ann", reply.json().getJsonObject("profile").getString("name"));
  }

  @Test
  void aRequiredPartAnsweringAnErrorMakesTheAnswerA502NamingThePart() {
    start("/missing", TestUpstream.statusHandler(404));
    assertComposition(gw.get("/dashboard/7"), 502, "part 'other'", "answered 404");
  }

  @Test
  void aRequiredPartAnsweringSomethingElseThanJsonMakesTheAnswerA502() {
    start("/text", request -> request.response().putHeader("Content-Type", "text/plain").end("hello"));
    assertComposition(gw.get("/dashboard/7"), 502, "part 'other'", "not JSON");
  }

  @Test
  void anUnreachableUpstreamFailsItsPart() {
    int dead = GatewayFixture.deadPort();
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          users: {targets: [{address: "%s"}]}
          gone: {targets: [{address: "127.0.0.1:%d"}]}
        routes:
          - id: dashboard
            match: {path: {template: "/dashboard/{user}"}, methods: [GET]}
            compose:
              parts:
                - {name: profile, upstream: users, path: "/users/{user}"}
                - {name: gone, upstream: gone, path: "/x"}
        """.formatted(users.address(), dead));

    GatewayFixture.Reply reply = gw.get("/dashboard/1");
    assertComposition(reply, 502, "part 'gone'", "upstream 'gone' could not be reached");
    assertFalse(reply.bodyString().contains(Integer.toString(dead)), "the target's address stays in the logs");
  }

  @Test
  void theRouteTotalTimeoutBoundsTheComposition() {
    start("/slow", request -> { }, false, "    timeouts: {total: 300ms}");

    long started = System.nanoTime();
    GatewayFixture.Reply reply = gw.get("/dashboard/1");

    assertEquals(504, reply.status(), reply.bodyString());
    assertEquals("upstream_timeout", reply.json().getString("error"));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000);
  }

  @Test
  void rateLimitsStillApplyBeforeAnyPartIsCalled() {
    start("/other", request -> json(request, "{}"), false,
        "    rate_limits: [{name: per-client, algorithm: fixed_window, limit: 1, window: 1h}]");

    assertEquals(200, gw.get("/dashboard/1").status());
    assertEquals(429, gw.get("/dashboard/1").status());
    assertEquals(1, users.requests());
  }

  private static void assertComposition(GatewayFixture.Reply reply, int status, String... messageParts) {
    assertEquals(status, reply.status(), reply.bodyString());
    assertEquals("composition_failed", reply.json().getString("error"));
    for (String part : messageParts) {
      assertTrue(reply.json().getString("message").contains(part), reply.json().getString("message"));
    }
  }
}
