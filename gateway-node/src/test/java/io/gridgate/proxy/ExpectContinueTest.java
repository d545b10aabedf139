package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.Closer;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code Expect: 100-continue} over raw sockets: the gateway sends {@code 100 Continue} only once it
 * starts reading the body (after routing, policies, rate limits and the body-size check), so a
 * refusal goes out without one, and {@code Expect} never reaches the upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExpectContinueTest {
  @RegisterExtension
  final Closer closer = new Closer();
  private RecordingUpstream upstream;
  private GatewayFixture gw;

  /** One upstream behind routes that each refuse in their own way, and two that take a body (held or streamed). */
  @BeforeEach
  void setUp(Vertx vertx) {
    upstream = closer.add(RecordingUpstream.start());
    gw = new GatewayFixture(vertx);
    gw.startGateway(GatewayFixture.nodeYaml("limits: {max_body_size: 1KB}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: open, match: {path: {prefix: /open}}, upstream: app}
          - {id: streamed, match: {path: {prefix: /streamed}}, upstream: app, request_buffering: false}
          - {id: keyed, match: {path: {prefix: /keyed}}, upstream: app, auth: {api_key: {}}}
          - {id: reads, match: {path: {prefix: /reads}, methods: [GET]}, upstream: app}
          - id: limited
            match: {path: {prefix: /limited}}
            upstream: app
            rate_limits: [{name: once, algorithm: token_bucket, limit: 1, window: 1h}]
        """.formatted(upstream.address()));
  }

  /** Sends a POST head for {@code path} declaring {@code contentLength} bytes and expecting 100-continue. */
  private Socket expecting(String path, int contentLength) throws IOException {
    return closer.add(RawHttp.send(gw.port(), "POST " + path + " HTTP/1.1\r\nHost: gw.test\r\nContent-Length: "
        + contentLength + "\r\nExpect: 100-continue\r\n\r\n"));
  }

  /** The first answer on {@code socket} is the refusal itself: a 100 Continue would have come first. */
  private static void assertRefusedWithout100(Socket socket, int status, String error) throws IOException {
    RawHttp.Response first = RawHttp.read(socket.getInputStream());
    assertEquals(status, first.status(), "the first answer on the wire");
    assertEquals(error, new JsonObject(first.body()).getString("error"));
  }

  @ParameterizedTest(name = "{0} with {1} bytes: {2} {3}")
  @CsvSource({
      "/open/upload, 2048, 413, body_too_large",
      "/keyed/upload, 10, 401, unauthorized",
      "/nowhere, 10, 404, no_route",
      "/reads/upload, 10, 405, method_not_allowed"})
  void aRefusedRequestIsAnsweredWithoutA100Continue(String path, int contentLength, int status, String error)
      throws IOException {
    assertRefusedWithout100(expecting(path, contentLength), status, error);
    assertEquals(0, upstream.connectionsAccepted());
  }

  @Test
  void aRateLimitedRequestIsAnsweredWithoutA100Continue() throws IOException {
    assertEquals(200, gw.raw("GET /limited HTTP/1.1\r\nHost: gw.test\r\n\r\n").status());

    assertRefusedWithout100(expecting("/limited", 10), 429, "rate_limited");
    assertEquals(1, upstream.count());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/open/upload", "/streamed/upload"})
  void anAcceptableBodyGets100ThenTheUpstreamsAnswerAndExpectIsNotForwarded(String path) throws IOException {
    Socket client = expecting(path, 5);
    InputStream in = client.getInputStream();

    assertEquals(100, RawHttp.read(in).status());
    client.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
    client.getOutputStream().flush();
    RawHttp.Response answer = RawHttp.read(in);

    assertEquals(200, answer.status());
    assertEquals("ok", answer.body());
    assertEquals("hello", upstream.last().bodyString());
    assertEquals("5", upstream.last().header("Content-Length"));
    assertNull(upstream.last().header("Expect"));
  }
}
