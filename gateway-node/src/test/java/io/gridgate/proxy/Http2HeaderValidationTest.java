package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed HTTP/2 request heads sent as hand-built h2c frames. Each is answered promptly on its
 * stream — the gateway's 400/405 with its {@code error}, or, for what Netty's HPACK decoder refuses,
 * RST_STREAM PROTOCOL_ERROR (RFC 9113 8.1.1) — the stream is closed, nothing reaches the upstream,
 * and the connection goes on serving. Hundreds of them from one client take no pooled upstream
 * connection from anyone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2HeaderValidationTest {
  /** The outcome of a stream Netty refuses while decoding its headers. */
  private static final String RESET = "RST_STREAM PROTOCOL_ERROR";
  private static final long PROTOCOL_ERROR = 1;
  /** How long an answer may take: "promptly", with room for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private GatewayFixture gw;
  private RecordingUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}], pool: {max_connections: 4}}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(app.address()));
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  /** A GET of {@code /h} with {@code extra} headers after the pseudo-headers. */
  private static String[] get(String... extra) {
    return head("GET", "/h", "gw.test", extra);
  }

  /** {@code :method}, {@code :scheme}, {@code :path} and (when not null) {@code :authority}, then {@code extra}. */
  private static String[] head(String method, String path, String authority, String... extra) {
    List<String> headers = new ArrayList<>(List.of(":method", method, ":scheme", "http", ":path", path));
    if (authority != null) {
      headers.addAll(List.of(":authority", authority));
    }
    headers.addAll(List.of(extra));
    return headers.toArray(String[]::new);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(":method is a request line", head("GET / HTTP/1.1", "/h", "gw.test"), "400 invalid_method"),
        Arguments.of(":method with a space", head("G T", "/h", "gw.test"), "400 invalid_method"),
        Arguments.of(":method with a separator", head("G(T", "/h", "gw.test"), "400 invalid_method"),
        Arguments.of(":method with 0x01", head("GET\u0001", "/h", "gw.test"), RESET),
        Arguments.of(":path with a space", head("GET", "/a b", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path with CR LF", head("GET", "/a\r\nx-injected: 1", "gw.test"), RESET),
        Arguments.of(":path with 0x01", head("GET", "/a\u0001", "gw.test"), RESET),
        Arguments.of(":path with DEL", head("GET", "/a\u007f", "gw.test"), RESET),
        Arguments.of(":path with non-ASCII", head("GET", "/caf\u00e9", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path with a fragment", head("GET", "/a#b", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path query with a space", head("GET", "/a?q= x", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path relative", head("GET", "a/b", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path absolute URI", head("GET", "http://gw.test/a", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path asterisk", head("OPTIONS", "*", "gw.test"), "400 invalid_request_target"),
        Arguments.of(":path malformed escape", head("GET", "/a%zz", "gw.test"), "400 invalid_path"),
        Arguments.of(":path twice", get(":path", "/other"), RESET),
        Arguments.of("no :scheme", new String[] {":method", "GET", ":path", "/h", ":authority", "gw.test"}, RESET),
        Arguments.of("pseudo-header after a regular one", get("x-a", "1", ":custom", "1"), RESET),
        Arguments.of("header name with ':'", get("x:y", "v"), RESET),
        Arguments.of("header name in upper case", get("X-Upper", "v"), RESET),
        Arguments.of("header name with a space", get("x y", "v"), RESET),
        Arguments.of("header value with VT", get("x-v", "a\u000bb"), RESET),
        Arguments.of("header value with DEL", get("x-v", "a\u007fb"), RESET),
        Arguments.of("header value with 0x01", get("x-v", "a\u0001b"), RESET),
        Arguments.of("header value with NUL", get("x-v", "a\u0000b"), RESET),
        Arguments.of("header value with CR LF", get("x-v", "a\r\nx-injected: 1"), RESET),
        Arguments.of("header value with leading space", get("x-v", " a"), RESET),
        Arguments.of("header value with trailing space", get("x-v", "a "), "400 invalid_header"),
        Arguments.of("header value with trailing HTAB", get("x-v", "a\t"), "400 invalid_header"),
        Arguments.of("connection", get("connection", "close"), RESET),
        Arguments.of("keep-alive", get("keep-alive", "timeout=5"), RESET),
        Arguments.of("proxy-connection", get("proxy-connection", "keep-alive"), RESET),
        Arguments.of("transfer-encoding", get("transfer-encoding", "chunked"), RESET),
        Arguments.of("upgrade", get("upgrade", "h2c"), RESET),
        Arguments.of("te other than trailers", get("te", "gzip"), RESET),
        Arguments.of(":authority with a space", head("GET", "/h", "gw test"), "400 invalid_host"),
        Arguments.of(":authority with userinfo", head("GET", "/h", "user@gw.test"), "400 invalid_host"),
        Arguments.of(":authority with a bad port", head("GET", "/h", "gw.test:99999"), "400 invalid_host"),
        Arguments.of("invalid :authority beside a valid host", head("GET", "/h", "gw test", "host", "gw.test"),
            "400 invalid_host"),
        Arguments.of(":authority and host differ", get("host", "other.test"), "400 invalid_host"),
        Arguments.of("invalid host alone", head("GET", "/h", null, "host", "gw/test"), "400 invalid_host"),
        Arguments.of("two host fields", head("GET", "/h", null, "host", "gw.test", "host", "gw.test"),
            "400 invalid_host"),
        Arguments.of("neither :authority nor host", head("GET", "/h", null), "400 missing_host"),
        Arguments.of("CONNECT", new String[] {":method", "CONNECT", ":authority", "gw.test:443"},
            "405 method_not_allowed"),
        Arguments.of("TRACE", head("TRACE", "/h", "gw.test"), "405 method_not_allowed"));
  }

  /** {@code 400 error} for an answer, {@link #RESET} for a PROTOCOL_ERROR reset; fails on anything else. */
  private static String outcome(H2FrameClient.Outcome reply) {
    if (isProtocolError(reply.reset()) && reply.status() == null) {
      return RESET;
    }
    assertTrue(reply.answered(), "neither answered nor reset: " + reply);
    return reply.status() + " " + new JsonObject(reply.text()).getString("error");
  }

  private static boolean isProtocolError(Long resetCode) {
    return resetCode != null && resetCode == PROTOCOL_ERROR;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void answeredPromptlyOnAClosedStreamAndTheConnectionGoesOn(String what, String[] headers, String expected) {
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      H2FrameClient.Outcome refused = h2.await(h2.request(true, headers), WAIT);
      assertEquals(expected, outcome(refused), what);

      H2FrameClient.Outcome next = h2.await(h2.request(true, H2FrameClient.get("/ok")), WAIT);
      assertEquals(200, next.status(), what + ": the connection must go on serving");
      assertTrue(next.connectionUsable(), what);
    }
    assertEquals(1, app.count(), what + " reached the upstream");
    assertEquals("/ok", app.last().target());
  }

  @Test
  void aRefusedStreamTheClientHasNotEndedIsAnsweredThenReset() {
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      int stream = h2.request(false, head("GET / HTTP/1.1", "/h", "gw.test"));
      H2FrameClient.Outcome refused = h2.await(stream, WAIT);

      assertEquals(400, refused.status());
      assertEquals("invalid_method", new JsonObject(refused.text()).getString("error"));
      assertEquals(200, h2.await(h2.request(true, H2FrameClient.get("/ok")), WAIT).status());
      assertEquals(0, h2.awaitReset(stream, WAIT).reset(), "RST_STREAM NO_ERROR after the answer (RFC 9113 8.1)");
    }
  }

  @Test
  void threeHundredMalformedStreamsFromOneClientLeaveThePoolToOthers(Vertx vertx) {
    List<Arguments> cases = malformed().toList();
    try (H2FrameClient h2 = H2FrameClient.open(gw.port())) {
      H2FrameClient.Outcome reply = null;
      for (int batch = 0; batch < 6; batch++) {
        List<Integer> streams = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          streams.add(h2.request(true, (String[]) cases.get((batch * 50 + i) % cases.size()).get()[1]));
        }
        for (int stream : streams) {
          reply = h2.await(stream, WAIT);
          assertTrue(reply.answered() || isProtocolError(reply.reset()), "stream " + stream + ": " + reply);
        }
      }
      assertTrue(reply.connectionUsable(), "the connection after the last stream: " + reply);
    }
    assertEquals(0, app.count());

    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gw.port()));
    List<Future<GatewayFixture.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(GatewayFixture.exchange(client, new RequestOptions().setURI("/well-behaved/" + i),
          request -> request.send(), GatewayFixture::reply));
    }
    GatewayFixture.await(Future.all(replies));
    for (Future<GatewayFixture.Reply> reply : replies) {
      assertEquals(200, reply.result().status());
    }
    assertEquals(20, app.count());
    assertTrue(app.connectionsAccepted() <= 4, "pool.max_connections: " + app.connectionsAccepted());
  }
}
