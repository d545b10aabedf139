package io.gridgate.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
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

/** Request and response transformation through a real gateway: query parameters, JSON request bodies and JSON answers. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransformTest {
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  @Test
  void queryParametersAreRenamedRemovedSetAndAddedKeepingUntouchedOnesAsSent() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute(
        "request_transform: {query: {rename: {old: new}, remove: [secret], set: {v: \"2\"}, add: {tag: g w}}}", app));

    assertEquals(200, gw.get("/x?old=1&secret=s&keep=a%20b&v=1&secret=t").status());
    assertEquals("/x?new=1&keep=a%20b&v=2&tag=g%20w", app.last().uri());

    gw.get("/y");
    assertEquals("/y?v=2&tag=g%20w", app.last().uri());
  }

  @Test
  void removingTheLastParameterDropsTheQuestionMark() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {query: {remove: [api_key]}}", app));

    gw.get("/items?api_key=k");
    assertEquals("/items", app.last().uri());
  }

  @Test
  void jsonRequestBodiesAreChangedAndSentWithTheirNewLength() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {body: {rename: {user.pwd: user.secret_hash},"
        + " remove: [debug, user.ssn], set: {meta.source: gateway, version: 2}, add: {priority: low, user.name: nobody}}}", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", JSON,
        "{\"user\":{\"name\":\"ann\",\"pwd\":\"h\",\"ssn\":\"1\"},\"debug\":true,\"priority\":\"high\"}");

    assertEquals(200, reply.status());
    assertEquals(new JsonObject("{\"user\":{\"name\":\"ann\",\"secret_hash\":\"h\"},\"priority\":\"high\","
        + "\"meta\":{\"source\":\"gateway\"},\"version\":2}"), reply.json());
    assertEquals(Integer.toString(reply.body().length()), app.last().headers().get("Content-Length"));
  }

  @Test
  void chunkedAndSuffixedJsonBodiesAreChangedToo() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {body: {set: {checked: true}}}", app));

    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.PUT, "/doc").putHeader("Content-Type", "application/vnd.api+json; charset=utf-8"),
        request -> {
          request.setChunked(true);
          request.write("{\"a\":");
          return request.end("1}").compose(v -> request.response());
        },
        GatewayFixture::reply));

    assertEquals(new JsonObject("{\"a\":1,\"checked\":true}"), reply.json());
  }

  @Test
  void bodiesThatAreNotJsonObjectsPassUnchanged() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {body: {set: {checked: true}}}", app));

    assertEquals("name=ann", gw.send(HttpMethod.POST, "/form", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "name=ann").bodyString());
    assertEquals("[1,2]", gw.send(HttpMethod.POST, "/list", JSON, "[1,2]").bodyString());
    assertEquals(2, app.requests());
  }

  @Test
  void invalidJsonIsRefusedWith400AndNeverReachesTheUpstream() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {body: {remove: [x]}}", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", JSON, "{\"x\":");

    assertEquals(400, reply.status());
    assertEquals("invalid_json", reply.json().getString("error"));
    assertEquals(0, app.requests());
  }

  @Test
  void aBodyOverTheTransformLimitIsRefusedWith413() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("request_transform: {body: {remove: [x]}, max_body_size: 100}", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/orders", JSON, "{\"x\":\"" + "y".repeat(200) + "\"}");

    assertEquals(413, reply.status());
    assertEquals("body_too_large", reply.json().getString("error"));
    assertEquals(0, app.requests());
  }

  @Test
  void aTransformedBodyIsHeldWholeSoAnIdempotentRequestIsRetriedAfter502() {
    TestUpstream failing = gw.upstream("failing", TestUpstream.statusHandler(502));
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("retries: {attempts: 1}, request_transform: {body: {set: {n: 1}}}", failing, app));

    for (int i = 0; i < 2; i++) { // round robin: one of the two requests tries the failing target first
      GatewayFixture.Reply reply = gw.send(HttpMethod.PUT, "/doc", JSON, "{}");
      assertEquals(200, reply.status());
      assertEquals(new JsonObject().put("n", 1), reply.json());
    }
    assertTrue(failing.requests() > 0, "the failing target was tried, so a 200 means a retry sent the body again");
  }

  @Test
  void jsonAnswersAreChangedAndTheUpstreamIsAskedForAnUnencodedOne() {
    TestUpstream app = gw.upstream("app", answering("application/json",
        "{\"id\":7,\"password\":\"p\",\"owner\":{\"email\":\"a@b\",\"name\":\"ann\"}}"));
    gw.startGateway(GatewayFixture.singleRoute(
        "response_transform: {body: {remove: [password, owner.email], rename: {id: order_id}, add: {source: gateway}}}", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/orders/7", Map.of("Accept-Encoding", "gzip"), null);

    assertEquals(200, reply.status());
    assertEquals(new JsonObject("{\"order_id\":7,\"owner\":{\"name\":\"ann\"},\"source\":\"gateway\"}"), reply.json());
    assertEquals(Integer.toString(reply.body().length()), reply.header("Content-Length"));
    assertEquals("identity", app.last().headers().get("Accept-Encoding"));
  }

  @Test
  void aCachedRouteStoresTheTransformedAnswer() {
    TestUpstream app = gw.upstream("app", answering("application/json", "{\"id\":1,\"password\":\"p\"}"));
    gw.startGateway(GatewayFixture.singleRoute("cache: {ttl: 30s}, response_transform: {body: {remove: [password]}}", app));

    GatewayFixture.Reply miss = gw.get("/a");
    GatewayFixture.Reply hit = gw.get("/a");

    assertEquals("Miss", miss.header("X-Cache-Status"));
    assertEquals("Hit", hit.header("X-Cache-Status"));
    assertEquals(new JsonObject().put("id", 1), hit.json());
    assertEquals(Integer.toString(hit.body().length()), hit.header("Content-Length"));
    assertEquals(1, app.requests());
  }

  @Test
  void answersThatAreNotJsonPassUnchangedAndHeadAnswersKeepTheirHead() {
    TestUpstream app = gw.upstream("app", answering("text/plain", "{\"password\":\"p\"}"));
    gw.startGateway(GatewayFixture.singleRoute("response_transform: {body: {remove: [password]}}", app));

    assertEquals("{\"password\":\"p\"}", gw.get("/t").bodyString());
    GatewayFixture.Reply head = gw.send(HttpMethod.HEAD, "/t", Map.of(), null);
    assertEquals(200, head.status());
    assertEquals("", head.bodyString());
  }

  @Test
  void anAnswerThatCannotBeTransformedIsA502NeverTheUntransformedBody() {
    TestUpstream broken = gw.upstream("broken", answering("application/json", "{\"password\":"));
    TestUpstream big = gw.upstream("big", answering("application/json", "{\"password\":\"" + "p".repeat(300) + "\"}"));
    TestUpstream gzipped = gw.upstream("gzipped", request -> request.response()
        .putHeader("Content-Type", "application/json").putHeader("Content-Encoding", "gzip").end("\u001f\u008b..."));
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          broken: {targets: [{address: "%s"}]}
          big: {targets: [{address: "%s"}]}
          gzipped: {targets: [{address: "%s"}]}
        routes:
          - {id: broken, match: {path: {prefix: /broken}}, upstream: broken, response_transform: {body: {remove: [password]}}}
          - {id: big, match: {path: {prefix: /big}}, upstream: big, response_transform: {body: {remove: [password]}, max_body_size: 100}}
          - {id: gzipped, match: {path: {prefix: /gzipped}}, upstream: gzipped, response_transform: {body: {remove: [password]}}}
        """.formatted(broken.address(), big.address(), gzipped.address()));

    assertGatewayError(gw.get("/broken"), 502, "invalid_upstream_json");
    assertGatewayError(gw.get("/big"), 502, "response_too_large");
    assertGatewayError(gw.get("/gzipped"), 502, "response_not_transformable");
  }

  private static void assertGatewayError(GatewayFixture.Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply.bodyString());
    assertEquals(error, reply.json().getString("error"));
    assertNull(reply.header("Content-Encoding"));
  }

  private static Handler<HttpServerRequest> answering(String contentType, String body) {
    return request -> request.response().putHeader("Content-Type", contentType).end(body);
  }
}
