package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP/2 prior-knowledge clients (h2c) on the gateway's port, proxied to HTTP/1.1 upstreams. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2ClearTextTest {
  private GatewayFixture gw;
  private TestUpstream app;
  private HttpClient h2;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.upstream("app", request -> request.body().onSuccess(body -> {
      if (request.path().equals("/api/chunked")) {
        request.response().setChunked(true).putHeader("Connection", "X-Up-Hop").putHeader("X-Up-Hop", "1")
            .putHeader("Keep-Alive", "timeout=5");
        request.response().write("part1-");
        request.response().end("part2");
      } else {
        request.response().putHeader("X-Upstream-Version", request.version().name()).end(body.length() == 0 ? Buffer.buffer("hello") : body);
      }
    }));
    gw.startGateway(GatewayFixture.nodeYaml("limits: {max_uri_length: 128, max_body_size: 1KB}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: api, match: {path: {prefix: /api}}, upstream: app}
        """.formatted(app.address()));
    h2 = vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(gw.port()));
  }

  private GatewayFixture.Reply h2Send(HttpMethod method, String uri, String body) {
    return GatewayFixture.send(h2, new RequestOptions().setMethod(method).setURI(uri), body == null ? null : Buffer.buffer(body));
  }

  @Test
  void priorKnowledgeGetIsAnsweredOverHttp2AndForwardedAsHttp11() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.GET, "/api/hello?x=1", null);

    assertEquals(HttpVersion.HTTP_2, reply.version());
    assertEquals(200, reply.status());
    assertEquals("hello", reply.bodyString());
    assertEquals("HTTP_1_1", reply.header("X-Upstream-Version"));
    assertTrue(reply.header("X-Request-Id").matches("[0-9a-f]{32}"));
    TestUpstream.Received up = app.last();
    assertEquals(HttpVersion.HTTP_1_1, up.version());
    assertEquals("/api/hello?x=1", up.uri());
    assertEquals(app.address(), up.header("Host"));
    assertEquals("127.0.0.1:" + gw.port(), up.header("X-Forwarded-Host"));
    assertEquals(reply.header("X-Request-Id"), up.header("X-Request-Id"));
  }

  @Test
  void postBodyRoundTripsOverHttp2() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.POST, "/api/echo", "{\"n\": 42}");

    assertEquals(200, reply.status());
    assertEquals("{\"n\": 42}", reply.bodyString());
    assertEquals("POST", app.last().method());
  }

  @Test
  void chunkedUpstreamResponseWithHopByHopHeadersIsValidHttp2() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.GET, "/api/chunked", null);

    assertEquals(200, reply.status());
    assertEquals("part1-part2", reply.bodyString());
    assertNull(reply.header("X-Up-Hop"));
    assertNull(reply.header("Keep-Alive"));
  }

  @Test
  void concurrentStreamsOnOneConnectionAreAllProxied() {
    List<Future<GatewayFixture.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(GatewayFixture.exchange(h2, new RequestOptions().setURI("/api/n/" + i),
          request -> request.send(), GatewayFixture::reply));
    }
    GatewayFixture.await(Future.all(replies));

    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(200, reply.result().status());
      assertEquals(HttpVersion.HTTP_2, reply.result().version());
    }
    assertEquals(20, app.requests());
    assertEquals(20, new HashSet<>(app.received().stream().map(TestUpstream.Received::uri).toList()).size());
  }

  @Test
  void gatewayErrorsAreJsonOverHttp2() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.GET, "/nowhere", null);

    assertEquals(404, reply.status());
    assertEquals("no_route", reply.json().getString("error"));
  }

  @Test
  void oversizedDeclaredBodyIs413OverHttp2() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.POST, "/api/upload", "x".repeat(4096));

    assertEquals(413, reply.status());
    assertEquals("body_too_large", reply.json().getString("error"));
    assertEquals(0, app.requests());
  }

  @Test
  void streamedBodyWithoutLengthGrowingPastTheLimitIs413OverHttp2() {
    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(h2,
        new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/stream"),
        request -> GatewayFixture.sendChunked(request, 4, "s".repeat(512)),
        GatewayFixture::reply));

    assertEquals(413, reply.status());
    assertEquals("body_too_large", reply.json().getString("error"));
  }

  @Test
  void overlongUriIs414OverHttp2WhichHasNoRequestLine() {
    GatewayFixture.Reply reply = h2Send(HttpMethod.GET, "/api/" + "u".repeat(200), null);

    assertEquals(414, reply.status());
    assertEquals("uri_too_long", reply.json().getString("error"));
    assertEquals(0, app.requests());
  }

  @Test
  void http11ClientsStillWorkOnTheSamePort() {
    GatewayFixture.Reply reply = gw.get("/api/plain");

    assertEquals(HttpVersion.HTTP_1_1, reply.version());
    assertEquals(200, reply.status());
  }
}
