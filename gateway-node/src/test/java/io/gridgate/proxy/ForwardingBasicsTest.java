package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Plain forwarding through the gateway: method, URI and body, hop-by-hop and Host headers, header operations, X-Request-Id. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardingBasicsTest {
  private static final String HEX_ID = "[0-9a-f]{32}";

  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  @Test
  void methodPathQueryAndBodyRoundTripUnchanged() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    List<HttpMethod> methods = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE, HttpMethod.OPTIONS);
    for (HttpMethod method : methods) {
      String body = method == HttpMethod.GET ? null : "body of " + method + " \u00e9\u4e2d";
      GatewayFixture.Reply reply = gw.send(method, "/api/items/42?b=2&a=x%20y&flag", Map.of(), body);

      assertEquals(200, reply.status(), method.name());
      assertEquals(method.name(), reply.header("X-Upstream-Method"));
      assertEquals("/api/items/42?b=2&a=x%20y&flag", reply.header("X-Upstream-Uri"));
      assertEquals(body == null ? "" : body, reply.bodyString());
      assertEquals(method.name(), app.last().method());
      assertEquals("/api/items/42?b=2&a=x%20y&flag", app.last().uri());
    }
    assertEquals(methods.size(), app.requests());
  }

  @Test
  void oneKeepAliveConnectionCarriesManyMoreRequestsThanVertxPipelines() throws Exception {
    // answers the Netty core writes as its own bytes pass none of Vert.x's handlers that count
    // requests against answers (its WebSocket extension handler refuses a 129th unanswered one)
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));
    try (Socket socket = RawHttp.send(gw.port(), "")) {
      for (int i = 0; i < 300; i++) {
        socket.getOutputStream().write(("GET /n/" + i + " HTTP/1.1\r\nHost: gw\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Response answer = RawHttp.read(socket.getInputStream());
        assertEquals("/n/" + i, answer.header("X-Upstream-Uri"), "answer " + i);
      }
    }
  }

  @Test
  void upstreamStatusAndEndToEndResponseHeadersReachTheClient() {
    TestUpstream app = gw.upstream("app", request -> request.response()
        .setStatusCode(201)
        .putHeader("Location", "/things/7")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Set-Cookie", "a=1")
        .end("created"));
    gw.startGateway(GatewayFixture.singleRoute("", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/things", Map.of(), "{}");

    assertEquals(201, reply.status());
    assertEquals("/things/7", reply.header("Location"));
    assertEquals("no-store", reply.header("Cache-Control"));
    assertEquals("a=1", reply.header("Set-Cookie"));
    assertEquals("created", reply.bodyString());
  }

  @Test
  void headAnswersKeepTheirContentLengthWithoutABodyAndTheConnectionStaysUsable() {
    TestUpstream app = gw.upstream("app", request -> {
      if (request.method() == HttpMethod.HEAD) {
        request.response().putHeader("Content-Length", "5").end();
      } else {
        request.response().end("hello");
      }
    });
    gw.startGateway(GatewayFixture.singleRoute("", app));

    GatewayFixture.Reply head = gw.send(HttpMethod.HEAD, "/doc", Map.of(), null);
    GatewayFixture.Reply get = gw.get("/doc");

    assertEquals(200, head.status());
    assertEquals("5", head.header("Content-Length"));
    assertNull(head.header("Transfer-Encoding"));
    assertEquals(0, head.body().length());
    assertEquals("hello", get.bodyString());
  }

  @Test
  void noContentAndNotModifiedAnswersPassThroughWithoutABody() {
    TestUpstream app = gw.upstream("app", request ->
        request.response().setStatusCode(request.path().equals("/204") ? 204 : 304).end());
    gw.startGateway(GatewayFixture.singleRoute("", app));

    GatewayFixture.Reply noContent = gw.get("/204");
    GatewayFixture.Reply notModified = gw.send(HttpMethod.GET, "/304", Map.of("If-None-Match", "\"v1\""), null);

    assertEquals(204, noContent.status());
    assertEquals(0, noContent.body().length());
    assertNull(noContent.header("Transfer-Encoding"));
    assertEquals(304, notModified.status());
    assertEquals("\"v1\"", app.last().header("If-None-Match"));
  }

  @Test
  void expectContinueIsAnsweredByTheGatewayAndNotForwarded() throws Exception {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response interim = RawHttp.read(socket.getInputStream());
      assertEquals(100, interim.status());
      socket.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response response = RawHttp.read(socket.getInputStream());

      assertEquals(200, response.status());
      assertEquals("hello", response.body());
    }
    assertNull(app.last().header("Expect"));
  }

  @Test
  void hopByHopRequestHeadersAreRemovedAndEndToEndOnesKept() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    RawHttp.Response response = gw.raw("""
        GET /hop HTTP/1.1\r
        Host: gw.test\r
        Connection: keep-alive, X-Hop-Named\r
        X-Hop-Named: secret\r
        Keep-Alive: timeout=5\r
        TE: trailers\r
        Trailer: X-Checksum\r
        Upgrade: example/1\r
        Proxy-Authorization: Basic dXNlcjpwYXNz\r
        Proxy-Connection: keep-alive\r
        Authorization: Bearer end-to-end\r
        X-End-To-End: kept\r
        Accept: text/plain\r
        \r
        """);

    assertEquals(200, response.status());
    TestUpstream.Received received = app.last();
    for (String hop : List.of("Connection", "X-Hop-Named", "Keep-Alive", "TE", "Trailer", "Upgrade",
        "Proxy-Authorization", "Proxy-Connection")) {
      assertNull(received.header(hop), hop + " must not be forwarded, was " + received.header(hop));
    }
    assertEquals("Bearer end-to-end", received.header("Authorization"));
    assertEquals("kept", received.header("X-End-To-End"));
    assertEquals("text/plain", received.header("Accept"));
  }

  @Test
  void hopByHopResponseHeadersAreRemovedWhenConnectionHoldsOnlyAnOption() {
    Map<String, String> hops = Map.of("Connection", "Keep-Alive", "Keep-Alive", "timeout=5, max=100",
        "Proxy-Authenticate", "Basic realm=\"up\"", "Trailer", "X-Checksum", "Upgrade", "example/1");
    TestUpstream app = gw.upstream("app", request -> {
      hops.forEach(request.response()::putHeader);
      request.response().putHeader("X-Kept", "yes").end("ok");
    });
    gw.startGateway(GatewayFixture.singleRoute("", app));

    RawHttp.Response response = gw.raw("GET /hop HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    assertEquals(200, response.status());
    hops.keySet().forEach(hop -> assertNull(response.header(hop), hop + " must not reach the client"));
    assertEquals("yes", response.header("X-Kept"));
  }

  @Test
  void hopByHopResponseHeadersAreRemovedAndEndToEndOnesKept() {
    TestUpstream app = gw.upstream("app", request -> request.response()
        .putHeader("Connection", "X-Up-Hop")
        .putHeader("X-Up-Hop", "secret")
        .putHeader("Keep-Alive", "timeout=5, max=100")
        .putHeader("Proxy-Authenticate", "Basic realm=\"up\"")
        .putHeader("Trailer", "X-Checksum")
        .putHeader("Upgrade", "example/1")
        .putHeader("X-Kept", "yes")
        .putHeader("ETag", "\"v1\"")
        .end("ok"));
    gw.startGateway(GatewayFixture.singleRoute("", app));

    RawHttp.Response response = gw.raw("GET /hop HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    assertEquals(200, response.status());
    for (String hop : List.of("Connection", "X-Up-Hop", "Keep-Alive", "Proxy-Authenticate", "Trailer", "Upgrade")) {
      assertNull(response.header(hop), hop + " must not reach the client, was " + response.header(hop));
    }
    assertEquals("yes", response.header("X-Kept"));
    assertEquals("\"v1\"", response.header("ETag"));
    assertEquals("ok", response.body());
  }

  @Test
  void hostHeaderIsTheTargetByDefaultTheClientsWhenPreservedOrAFixedValue() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: target, match: {path: {prefix: /target}}, upstream: app}
          - {id: preserve, match: {path: {prefix: /preserve}}, upstream: app, host_header: preserve}
          - {id: fixed, match: {path: {prefix: /fixed}}, upstream: app, host_header: "api.internal:8443"}
        """.formatted(app.address()));

    for (String prefix : List.of("/target", "/preserve", "/fixed")) {
      assertEquals(200, gw.raw("GET " + prefix + " HTTP/1.1\r\nHost: Client.Example:1234\r\n\r\n").status());
    }

    List<TestUpstream.Received> received = app.received();
    assertEquals(app.address(), received.get(0).header("Host"));
    assertEquals("Client.Example:1234", received.get(1).header("Host"));
    assertEquals("api.internal:8443", received.get(2).header("Host"));
    for (TestUpstream.Received r : received) {
      assertEquals(1, r.headers().getAll("Host").size(), "exactly one Host header upstream");
    }
  }

  @Test
  void requestAndResponseHeaderOperationsRenameRemoveSetAndAdd() {
    TestUpstream app = gw.upstream("app", request -> request.response()
        .putHeader("X-Up-Old", "uo")
        .putHeader("X-Up-Drop", "ud")
        .putHeader("X-Up-Set", "upstream-value")
        .putHeader("X-Up-Add", "theirs")
        .end());
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - id: ops
            match: {path: {prefix: /}}
            upstream: app
            request_headers:
              rename: {X-Old: X-New}
              remove: [X-Drop]
              set: {X-Set: forced}
              add: {X-Add: added}
            response_headers:
              rename: {X-Up-Old: X-Up-New}
              remove: [X-Up-Drop]
              set: {X-Up-Set: forced}
              add: {X-Up-Add: added}
        """.formatted(app.address()));

    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/ops",
        Map.of("X-Old", "o", "X-Drop", "d", "X-Set", "client-value", "X-Add", "mine"), null);

    assertEquals(200, reply.status());
    TestUpstream.Received up = app.last();
    assertNull(up.header("X-Old"));
    assertEquals("o", up.header("X-New"));
    assertNull(up.header("X-Drop"));
    assertEquals(List.of("forced"), up.headers().getAll("X-Set"));
    assertEquals(List.of("mine", "added"), up.headers().getAll("X-Add"));

    assertNull(reply.header("X-Up-Old"));
    assertEquals("uo", reply.header("X-Up-New"));
    assertNull(reply.header("X-Up-Drop"));
    assertEquals(List.of("forced"), reply.headers().getAll("X-Up-Set"));
    assertEquals(List.of("theirs", "added"), reply.headers().getAll("X-Up-Add"));
  }

  @Test
  void wellFormedRequestIdIsKeptAndSentBothWays() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    for (String id : List.of("req-123.abc:XYZ_9", "a", "x".repeat(128))) {
      GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/id", Map.of("X-Request-Id", id), null);
      assertEquals(id, reply.header("X-Request-Id"));
      assertEquals(id, app.last().header("X-Request-Id"));
    }
  }

  @Test
  void malformedRequestIdIsReplacedWithTheSameNewValueUpstreamAndToTheClient() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    for (String bad : List.of("has spaces in it", "x".repeat(129), "semi;colon", "quote\"d", "")) {
      GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/id", Map.of("X-Request-Id", bad), null);
      String toClient = reply.header("X-Request-Id");
      assertNotEquals(bad, toClient);
      assertTrue(toClient.matches(HEX_ID), "generated id: " + toClient);
      assertEquals(List.of(toClient), app.last().headers().getAll("X-Request-Id"));
    }
  }

  @Test
  void missingRequestIdIsGeneratedUniqueAndSentBothWays() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));

    GatewayFixture.Reply first = gw.get("/id");
    GatewayFixture.Reply second = gw.get("/id");

    assertTrue(first.header("X-Request-Id").matches(HEX_ID), first.header("X-Request-Id"));
    assertEquals(first.header("X-Request-Id"), app.received().get(0).header("X-Request-Id"));
    assertEquals(second.header("X-Request-Id"), app.received().get(1).header("X-Request-Id"));
    assertNotEquals(first.header("X-Request-Id"), second.header("X-Request-Id"));
  }

  @Test
  void upstreamsOwnRequestIdResponseHeaderIsOverwrittenWithTheExchangesId() {
    TestUpstream app = gw.upstream("app", request -> request.response().putHeader("X-Request-Id", "upstream-made").end());
    gw.startGateway(GatewayFixture.singleRoute("", app));

    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/id", Map.of("X-Request-Id", "client-id"), null);

    assertEquals(List.of("client-id"), reply.headers().getAll("X-Request-Id"));
  }
}
