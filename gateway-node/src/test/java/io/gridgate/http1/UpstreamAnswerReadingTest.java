package io.gridgate.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.RecordingUpstream.Answer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the Netty core reads an upstream's answers (its ResponseDecoder), through a gateway in front of
 * an upstream that writes exact bytes: every framing RFC 9112 allows arrives whole, and an answer
 * that breaks the syntax or the framing becomes a 502 (or, once its head went out, a cut-off answer)
 * and never leaves its connection in the pool.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamAnswerReadingTest {
  private static final String GET = "GET /a HTTP/1.1\r\nHost: gw\r\n\r\n";

  private final RecordingUpstream upstream = RecordingUpstream.start();
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: open, match: {path: {prefix: /}}, upstream: app, retries: {attempts: 0}}
        """.formatted(upstream.address()));
  }

  @AfterEach
  void tearDown() {
    upstream.close();
  }

  private RawHttp.Response answered(String answer) {
    upstream.answer(request -> Answer.raw(answer));
    return RawHttp.exchange(gw.port(), GET);
  }

  /** A second request is answered on the same upstream connection. */
  private void assertConnectionReused() {
    upstream.answer(request -> Answer.status(200, "again"));
    assertEquals("again", RawHttp.exchange(gw.port(), GET).body());
    assertEquals(1, upstream.connectionsAccepted(), "the upstream connection went back to the pool");
  }

  @Test
  void aChunkedAnswerWithExtensionsAndTrailersArrivesWholeAndTheConnectionIsReused() {
    RawHttp.Response answer = answered("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n6 \r\n world\r\n0\r\nX-Digest: 42\r\n\r\n");

    assertEquals(200, answer.status());
    assertEquals("hello world", answer.body());
    assertConnectionReused();
  }

  @Test
  void bareLineFeedsEndLinesAsCrLfDoes() {
    RawHttp.Response answer = answered("HTTP/1.1 201 Created\nContent-Length: 2\nX-Kind:  padded \t\n\nok");

    assertEquals(201, answer.status());
    assertEquals("ok", answer.body());
    assertEquals("padded", answer.header("X-Kind"));
    assertConnectionReused();
  }

  @Test
  void anAnswerWithoutFramingEndsWithItsConnection() {
    upstream.answer(request -> new Answer.BytesThenClose(
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close".getBytes(StandardCharsets.ISO_8859_1)));

    RawHttp.Response answer = RawHttp.exchange(gw.port(), GET);

    assertEquals(200, answer.status());
    assertEquals("until the close", answer.body());
  }

  @Test
  void interimAnswersAreSkippedAndTheFinalOneRelayed() {
    RawHttp.Response answer = answered("HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal");

    assertEquals(200, answer.status());
    assertEquals("final", answer.body());
    assertConnectionReused();
  }

  @Test
  void aHeadAnswerHasNoBodyWhateverItsContentLengthSays() throws IOException {
    upstream.answer(request -> Answer.raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"));
    try (Socket socket = RawHttp.send(gw.port(), "HEAD /a HTTP/1.1\r\nHost: gw\r\n\r\n")) {
      InputStream in = socket.getInputStream();
      assertEquals("HTTP/1.1 200 OK", readLine(in));
      String line;
      boolean announced = false;
      while (!(line = readLine(in)).isEmpty()) {
        announced |= line.equalsIgnoreCase("content-length: 5");
      }
      assertTrue(announced, "the HEAD answer keeps its Content-Length");
    }
    assertConnectionReused();
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 304})
  void noContentAndNotModifiedHaveNoBodyEvenWithoutFraming(int status) {
    RawHttp.Response answer = answered("HTTP/1.1 " + status + " X\r\nX-Kind: empty\r\n\r\n");

    assertEquals(status, answer.status());
    assertEquals("", answer.body());
    assertConnectionReused();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX-Cr: a\rb\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nX(Bad): a\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\n: nameless\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nNo-Colon\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "http/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "ICY 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"})
  void aMalformedHeadIsA502AndItsConnectionIsClosed(String answer) {
    RawHttp.Response relayed = answered(answer);

    assertEquals(502, relayed.status(), answer);
    assertNull(relayed.header("X-Folded"));
    GatewayFixture.awaitCondition("the upstream connection is closed", GatewayFixture.WAIT,
        () -> upstream.connectionsOpen() == 0);
  }

  @Test
  void aHeadOverTheLimitIsA502() {
    RawHttp.Response relayed = answered("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(70 * 1024) + "\r\nContent-Length: 2\r\n\r\nok");

    assertEquals(502, relayed.status());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "zz\r\nok\r\n0\r\n\r\n",
      "2\r\nokay\r\n0\r\n\r\n",
      "\r\nok\r\n0\r\n\r\n",
      "2;bad\0ext\r\nok\r\n0\r\n\r\n",
      "10000000000000000\r\nok\r\n0\r\n\r\n"})
  void aBrokenChunkedBodyIsCutOffAfterItsHead(String body) throws IOException {
    upstream.answer(request -> Answer.raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body));
    try (Socket socket = RawHttp.send(gw.port(), GET)) {
      byte[] relayed = socket.getInputStream().readAllBytes(); // up to the gateway's close, bounded by the socket timeout
      String text = new String(relayed, StandardCharsets.ISO_8859_1);
      assertTrue(text.startsWith("HTTP/1.1 200") || text.startsWith("HTTP/1.1 502") || text.isEmpty(), text);
      assertFalse(text.startsWith("HTTP/1.1 200") && text.endsWith("0\r\n\r\n"), "a broken body must not be ended: " + text);
    }
    GatewayFixture.awaitCondition("the upstream connection is closed", GatewayFixture.WAIT,
        () -> upstream.connectionsOpen() == 0);
  }

  @Test
  void bytesAfterAnAnswerKeepItsConnectionOutOfThePool() {
    RawHttp.Response answer = answered("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");

    assertEquals("ok", answer.body());
    upstream.answer(request -> Answer.status(200, "again"));
    assertEquals("again", RawHttp.exchange(gw.port(), GET).body());
    assertEquals(2, upstream.connectionsAccepted(), "the second request needed a new connection");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("closed before a line end");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
