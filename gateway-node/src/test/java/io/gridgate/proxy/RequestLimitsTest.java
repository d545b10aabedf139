package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request limits and malformed requests: 431, 414, 413 (declared and streamed), 400 for CR/NUL and bad Content-Length. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestLimitsTest {
  private static final int MAX_HEADER = 4096;
  private static final int MAX_URI = 256;
  private static final int MAX_BODY = 1024;

  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = TestUpstream.counting(vertx, "app");
    gw.startGateway(GatewayFixture.nodeYaml("limits: {max_header_size: 4KB, max_uri_length: 256, max_body_size: 1KB}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: streamed, match: {path: {prefix: /streamed}}, upstream: app, request_buffering: false}
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(app.address()));
  }

  private static String get(String uri, String extraHeaders) {
    return "GET " + uri + " HTTP/1.1\r\nHost: gw.test\r\n" + extraHeaders + "\r\n";
  }

  private static String errorOf(RawHttp.Response response) {
    return new JsonObject(response.body()).getString("error");
  }

  /** Rejected as malformed by the HTTP decoder ("bad_request") or by the gateway's own checks. */
  private static void assertMalformed(RawHttp.Response response, String what) {
    assertEquals(400, response.status(), what);
    assertTrue(Set.of("bad_request", "invalid_header", "invalid_content_length").contains(errorOf(response)),
        what + ": " + response.body());
  }

  @Test
  void headerBlockOverMaxHeaderSizeIs431() {
    RawHttp.Response response = gw.raw(get("/h", "X-Big: " + "b".repeat(MAX_HEADER + 100) + "\r\n"));

    assertEquals(431, response.status());
    assertEquals("headers_too_large", errorOf(response));
    assertEquals(0, app.requests());
  }

  @Test
  void headerBlockWithinMaxHeaderSizeIsForwarded() {
    RawHttp.Response response = gw.raw(get("/h", "X-Big: " + "b".repeat(MAX_HEADER - 200) + "\r\n"));

    assertEquals(200, response.status());
    assertEquals(1, app.requests());
  }

  @Test
  void requestLineOverMaxUriLengthIs414() {
    RawHttp.Response response = gw.raw(get("/" + "u".repeat(MAX_URI * 2), ""));

    assertEquals(414, response.status());
    assertEquals("uri_too_long", errorOf(response));
    assertEquals(0, app.requests());
  }

  @Test
  void uriOneOverMaxUriLengthIs414AndExactlyMaxIsForwarded() {
    String atLimit = "/" + "u".repeat(MAX_URI - 1);
    String overLimit = "/" + "u".repeat(MAX_URI);

    assertEquals(200, gw.raw(get(atLimit, "")).status());
    RawHttp.Response over = gw.raw(get(overLimit, ""));

    assertEquals(414, over.status());
    assertEquals(1, app.requests());
    assertEquals(atLimit, app.last().uri());
  }

  @Test
  void declaredContentLengthOverMaxBodySizeIs413AndNeverReachesTheUpstream() {
    RawHttp.Response response = gw.raw("POST /upload HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + (MAX_BODY + 1)
        + "\r\n\r\n");

    assertEquals(413, response.status());
    assertEquals("body_too_large", errorOf(response));
    assertEquals("close", response.header("Connection"));
    assertEquals(0, app.requests());
  }

  @Test
  void bodyOfExactlyMaxBodySizeIsForwarded() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/upload", Map.of(), "x".repeat(MAX_BODY));

    assertEquals(200, reply.status());
    assertEquals(Integer.toString(MAX_BODY), reply.bodyString());
  }

  @Test
  void declaredOversizedBodySentInFullByAClientLibraryGets413() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/upload", Map.of(), "x".repeat(MAX_BODY * 8));

    assertEquals(413, reply.status());
    assertEquals(0, app.requests());
  }

  /**
   * A chunked body has no declared length: on a route that streams bodies, the gateway has already
   * opened the upstream request when the limit is crossed. The client must get 413 (or, at worst, see
   * the connection closed under the request it is still writing) and the upstream an aborted
   * request, never a complete body.
   */
  @Test
  void chunkedBodyGrowingPastMaxBodySizeIs413AndTheUpstreamNeverGetsACompleteBody(Vertx vertx) {
    Promise<GatewayFixture.Reply> answered = Promise.promise();
    AtomicInteger chunksSent = new AtomicInteger();
    HttpClientRequest request = GatewayFixture.await(gw.client().request(gw.request(HttpMethod.POST, "/streamed/upload")));
    request.setChunked(true);
    request.response().compose(GatewayFixture::reply).onComplete(answered);
    // 200 bytes every 10 ms and never ending: the 1 KB limit is crossed with the 6th chunk.
    vertx.setPeriodic(10, timer -> {
      if (answered.future().isComplete() || chunksSent.get() >= 100) {
        vertx.cancelTimer(timer);
        return;
      }
      chunksSent.incrementAndGet();
      request.write(Buffer.buffer("c".repeat(200)));
    });

    AsyncResult<GatewayFixture.Reply> outcome = GatewayFixture.await(answered.future().transform(Future::succeededFuture));

    assertTrue(outcome.succeeded(), "expected a 413 answer, got " + outcome.cause());
    assertEquals(413, outcome.result().status());
    assertEquals("body_too_large", outcome.result().json().getString("error"));
    assertTrue(chunksSent.get() < 100, "the gateway answered while the body was still growing");
    GatewayFixture.awaitCondition("upstream saw the request", GatewayFixture.WAIT, () -> app.requests() == 1);
    assertEquals(0, app.completedBodies(), "upstream must not receive a complete body");
    assertTrue(app.bodyBytes() <= MAX_BODY, "at most the allowed bytes went upstream: " + app.bodyBytes());
  }

  @Test
  void chunkedBodyWithinMaxBodySizeIsForwardedWhole() {
    GatewayFixture.Reply reply = GatewayFixture.await(GatewayFixture.exchange(gw.client(),
        gw.request(HttpMethod.POST, "/upload"),
        request -> GatewayFixture.sendChunked(request, 4, "c".repeat(256)),
        GatewayFixture::reply));

    assertEquals(200, reply.status());
    assertEquals("1024", reply.bodyString());
    assertEquals(1, app.completedBodies());
  }

  @Test
  void carriageReturnInsideAHeaderValueIs400AndNeverForwarded() {
    RawHttp.Response response = gw.raw(get("/crlf", "X-Evil: left\rInjected: right\r\n"));

    assertMalformed(response, "CR in a header value");
    assertEquals(0, app.requests());
  }

  @Test
  void nulInsideAHeaderValueIs400AndNeverForwarded() {
    RawHttp.Response response = gw.raw(get("/nul", "X-Evil: left\0right\r\n"));

    assertMalformed(response, "NUL in a header value");
    assertEquals(0, app.requests());
  }

  @Test
  void malformedContentLengthIs400AndNeverForwarded() {
    for (String length : List.of("abc", "-1", "1, 2", "0x10", "+5", "99999999999999999999999")) {
      RawHttp.Response response = gw.raw("POST /cl HTTP/1.1\r\nHost: gw.test\r\nContent-Length: " + length
          + "\r\n\r\n");
      assertMalformed(response, "Content-Length: " + length);
    }
    RawHttp.Response twoHeaders = gw.raw("POST /cl HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
    assertMalformed(twoHeaders, "two different Content-Length headers");
    assertEquals(0, app.requests());
  }

  @Test
  void gatewayKeepsServingAfterRejectingMalformedRequests() {
    gw.raw(get("/nul", "X-Evil: a\0b\r\n"));
    gw.raw(get("/" + "u".repeat(MAX_URI * 2), ""));

    RawHttp.Response ok = gw.raw(get("/fine", ""));

    assertEquals(200, ok.status());
    assertEquals(1, app.requests());
    assertEquals("/fine", app.last().uri());
  }
}
