package io.gridgate.edge;

import static io.gridgate.edge.BatteryNode.AUTHORITY;
import static io.gridgate.testing.H2FrameClient.END_HEADERS;
import static io.gridgate.testing.H2FrameClient.END_STREAM;
import static io.gridgate.testing.H2FrameClient.block;
import static io.gridgate.testing.H2FrameClient.continuation;
import static io.gridgate.testing.H2FrameClient.data;
import static io.gridgate.testing.H2FrameClient.fields;
import static io.gridgate.testing.H2FrameClient.frame;
import static io.gridgate.testing.H2FrameClient.get;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_ENABLE_PUSH;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_INITIAL_WINDOW_SIZE;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_MAX_CONCURRENT_STREAMS;
import static io.netty.handler.codec.http2.Http2CodecUtil.SETTINGS_MAX_FRAME_SIZE;
import static io.netty.handler.codec.http2.Http2Error.COMPRESSION_ERROR;
import static io.netty.handler.codec.http2.Http2Error.FLOW_CONTROL_ERROR;
import static io.netty.handler.codec.http2.Http2Error.FRAME_SIZE_ERROR;
import static io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR;
import static io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM;
import static io.netty.handler.codec.http2.Http2Error.STREAM_CLOSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.H2FrameClient;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge battery's HTTP/2 cases, one table row each: hand-built frames ({@link H2FrameClient})
 * against a {@link BatteryNode}. A malformed request must be refused promptly — a 400 with the
 * spec's {@code error}, or the stream or connection error RFC 9113 names — and reach nothing
 * upstream (or only the spec's normalised form); afterwards the same connection (unless it was
 * closed) and the node keep serving. Cases are listed in docs/security.md.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgeBatteryHttp2Test {
  /** How long a refusal may take: "promptly", with room for a loaded machine. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final String CASE_PATH = "/app/case";
  private static final String SMUGGLED = "GET /app/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

  private BatteryNode node;

  @BeforeEach
  void setUp() {
    node = BatteryNode.start();
  }

  @AfterEach
  void tearDown() {
    node.close();
  }

  // ---- the table's parts ----

  /** Writes a case's frames on an open connection and returns the stream whose fate decides it (0: the connection's). */
  @FunctionalInterface
  interface Script {
    int send(H2FrameClient client);
  }

  /** What a case accepts as the answer, and what may reach the upstream. */
  record Expect(String description, Predicate<H2FrameClient.Outcome> accepts,
                Predicate<List<RecordingUpstream.Recorded>> upstream) {}

  /** One row of the table; its name is the display name and the key in docs/security.md. */
  record H2Case(String name, Script script, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static H2Case of(String name, Script script, Expect expect) {
    return new H2Case(name, script, expect);
  }

  /** Nothing of the case reached the upstream. */
  private static final Predicate<List<RecordingUpstream.Recorded>> NOTHING = List::isEmpty;
  /** A protocol error after a well-formed head: that one request may have been forwarded, nothing more. */
  private static final Predicate<List<RecordingUpstream.Recorded>> AT_MOST_ONE = r -> r.size() <= 1;

  /** A 400 with one of {@code errors} (any error when none), or RST_STREAM or GOAWAY PROTOCOL_ERROR (RFC 9113 8.1.1). */
  static Expect refused(String... errors) {
    List<String> accepted = List.of(errors);
    return new Expect("400 " + (errors.length == 0 ? "" : accepted + " ") + "or PROTOCOL_ERROR",
        o -> (o.status() != null && o.status() == 400 && (accepted.isEmpty() || accepted.contains(o.error())))
            || isCode(o.reset(), PROTOCOL_ERROR) || isCode(o.goAway(), PROTOCOL_ERROR),
        NOTHING);
  }

  /** RST_STREAM with one of {@code codes}, or a GOAWAY with one (RFC 9113 5.4.1 lets a stream error end the connection). */
  static Expect streamError(Http2Error... codes) {
    return new Expect("RST_STREAM or GOAWAY " + Arrays.toString(codes),
        o -> isCode(o.reset(), codes) || isCode(o.goAway(), codes), AT_MOST_ONE);
  }

  /** GOAWAY with one of {@code codes}, and the connection closed. */
  static Expect connectionError(Http2Error... codes) {
    return new Expect("GOAWAY " + Arrays.toString(codes) + " and close",
        o -> isCode(o.goAway(), codes) && o.closed(), AT_MOST_ONE);
  }

  /** Exactly the gateway answer {@code status} with {@code error}; nothing upstream. */
  static Expect answer(int status, String error) {
    return new Expect(status + " " + error, o -> o.status() != null && o.status() == status && error.equals(o.error()),
        NOTHING);
  }

  /** A header list over the limit: 431, or a stream or connection error of any code; nothing upstream. */
  static Expect tooLarge() {
    return new Expect("431 or RST_STREAM/GOAWAY",
        o -> (o.status() != null && o.status() == 431) || o.reset() != null || o.goAway() != null, NOTHING);
  }

  /** A 200 from the upstream, which got exactly one request that {@code check} accepts. */
  static Expect served(String what, Predicate<RecordingUpstream.Recorded> check) {
    return new Expect("200; upstream: " + what, o -> o.status() != null && o.status() == 200,
        r -> r.size() == 1 && check.test(r.get(0)));
  }

  private static boolean isCode(Long code, Http2Error... codes) {
    return code != null && Arrays.stream(codes).anyMatch(c -> c.code() == code);
  }

  // ---- scripts ----

  /** A GET with one extra header field {@code name: value} that the spec refuses as {@code invalid_header}. */
  private static H2Case invalidHeader(String name, String field, String value) {
    return of(name, head(get(CASE_PATH, field, value)), refused("invalid_header"));
  }

  /** A request head on a new stream, ending the stream. */
  private static Script head(String... fields) {
    return c -> c.request(true, fields);
  }

  /** A request head without END_STREAM, then {@code body} in one DATA frame with END_STREAM. */
  private static Script withBody(byte[] body, String... fields) {
    return c -> {
      int stream = c.request(false, fields);
      c.write(data(stream, END_STREAM, body));
      return stream;
    };
  }

  /** A request head that leaves the stream open (a POST whose body never comes), then {@code frames(stream)}. */
  private static Script openStreamThen(java.util.function.IntFunction<byte[]> frames) {
    return c -> {
      int stream = c.request(false, fields("POST", "/app/hold"));
      c.write(frames.apply(stream));
      return stream;
    };
  }

  /** Writes {@code frames} on the connection (after the handshake) and watches the connection itself. */
  private static Script connection(byte[]... frames) {
    return c -> {
      c.write(frames);
      return 0;
    };
  }

  /** Writes {@code frames} (about {@code stream}, which the client then counts as used) and watches {@code stream}. */
  private static Script onStream(int stream, byte[]... frames) {
    return c -> {
      c.used(stream);
      c.write(frames);
      return stream;
    };
  }

  /** Writes {@code frames} and then a well-formed GET, whose stream decides the case. */
  private static Script thenGet(byte[]... frames) {
    return c -> {
      c.write(frames);
      return c.request(true, get(CASE_PATH));
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] hpackInteger(int prefixBits, int flags, int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    H2FrameClient.integer(out, prefixBits, flags, value);
    return out.toByteArray();
  }

  // ---- the table ----

  static Stream<H2Case> cases() {
    List<H2Case> cases = new ArrayList<>();
    pseudoHeaders(cases);
    headerNamesAndValues(cases);
    bodiesAndLengths(cases);
    streamStates(cases);
    frameSizesAndSettings(cases);
    controlFramesAndHpack(cases);
    return cases.stream();
  }

  private static void pseudoHeaders(List<H2Case> cases) {
    cases.add(of("h2-missing-method", head(":scheme", "http", ":authority", AUTHORITY, ":path", CASE_PATH), refused()));
    cases.add(of("h2-missing-path", head(":method", "GET", ":scheme", "http", ":authority", AUTHORITY), refused()));
    cases.add(of("h2-missing-scheme", head(":method", "GET", ":authority", AUTHORITY, ":path", CASE_PATH), refused()));
    cases.add(of("h2-duplicate-method", head(":method", "GET", ":method", "DELETE", ":scheme", "http",
        ":authority", AUTHORITY, ":path", CASE_PATH), refused()));
    cases.add(of("h2-duplicate-path", head(":method", "GET", ":scheme", "http", ":authority", AUTHORITY,
        ":path", CASE_PATH, ":path", "/app/admin"), refused()));
    cases.add(of("h2-pseudo-after-regular", head(":method", "GET", ":scheme", "http", ":authority", AUTHORITY,
        "accept", "*/*", ":path", CASE_PATH), refused()));
    cases.add(of("h2-unknown-pseudo", head(get(CASE_PATH, ":foo", "bar")), refused()));
    cases.add(of("h2-unknown-pseudo-first", head(":foo", "bar", ":method", "GET", ":scheme", "http",
        ":authority", AUTHORITY, ":path", CASE_PATH), refused()));
    cases.add(of("h2-response-pseudo-in-request", head(":status", "200", ":method", "GET", ":scheme", "http",
        ":authority", AUTHORITY, ":path", CASE_PATH), refused()));
    cases.add(of("h2-protocol-pseudo-without-connect", head(get(CASE_PATH, ":protocol", "websocket")), refused()));
    cases.add(of("h2-path-empty", head(get("")), refused("invalid_request_target")));
    cases.add(of("h2-path-relative", head(get("app/case")), refused("invalid_request_target")));
    cases.add(of("h2-path-asterisk", head(get("*")), refused("invalid_request_target")));
    cases.add(of("h2-path-absolute-form", head(get("http://evil.test/app/case")), refused("invalid_request_target")));
    cases.add(of("h2-path-space", head(get("/app/case HTTP/1.1")), refused("invalid_request_target")));
    cases.add(of("h2-path-cr", head(get("/app/ca\rse")), refused("invalid_request_target")));
    cases.add(of("h2-path-lf-injection", head(get("/app/case HTTP/1.1\nX-Injected: 1\n")), refused("invalid_request_target")));
    cases.add(of("h2-path-nul", head(get("/app/ca\0se")), refused("invalid_request_target")));
    cases.add(of("h2-path-hash", head(get("/app/admin#frag")), refused("invalid_request_target")));
    cases.add(of("h2-path-del", head(get("/app/ca\u007fse")), refused("invalid_request_target")));
    cases.add(of("h2-path-non-ascii", head(get("/app/caf\u00e9")), refused("invalid_request_target")));
    cases.add(of("h2-query-ctl", head(get("/app/case?q=\u0001")), refused("invalid_request_target")));
    cases.add(of("h2-method-with-space", head(fields("GE T", CASE_PATH)), refused("invalid_method")));
    cases.add(of("h2-method-request-line", head(fields("GET /app/admin HTTP/1.1", CASE_PATH)), refused("invalid_method")));
    cases.add(of("h2-method-connect", head(":method", "CONNECT", ":authority", AUTHORITY), answer(405, "method_not_allowed")));
    cases.add(of("h2-method-trace", head(fields("TRACE", CASE_PATH)), answer(405, "method_not_allowed")));
    cases.add(of("h2-authority-host-differ", head(get(CASE_PATH, "host", "other.test")), refused("invalid_host")));
    cases.add(of("h2-authority-garbage", head(":method", "GET", ":scheme", "http", ":authority", "a b@c:x:y",
        ":path", CASE_PATH), refused("invalid_host")));
    cases.add(of("h2-authority-userinfo", head(":method", "GET", ":scheme", "http", ":authority", "user@gateway.test",
        ":path", CASE_PATH), refused("invalid_host")));
    cases.add(of("h2-host-twice", head(":method", "GET", ":scheme", "http", ":path", CASE_PATH,
        "host", AUTHORITY, "host", "other.test"), refused("invalid_host")));
    cases.add(of("h2-no-authority-no-host", head(":method", "GET", ":scheme", "http", ":path", CASE_PATH),
        refused("missing_host")));
    cases.add(of("h2-host-equal-authority", head(get(CASE_PATH, "host", AUTHORITY)),
        served("one request", r -> r.target().equals(CASE_PATH))));
    cases.add(of("h2-path-unreserved-escape", head(get("/app/%61dmin")),
        served("the decoded path /app/admin", r -> r.target().equals("/app/admin"))));
  }

  private static void headerNamesAndValues(List<H2Case> cases) {
    cases.add(invalidHeader("h2-name-upper-case", "X-Upper", "1"));
    cases.add(invalidHeader("h2-name-with-colon", "x:injected", "1"));
    cases.add(invalidHeader("h2-name-empty", "", "1"));
    cases.add(invalidHeader("h2-name-with-space", "x injected", "1"));
    cases.add(invalidHeader("h2-name-ctl", "x\u0001y", "1"));
    cases.add(invalidHeader("h2-value-cr", "x-v", "a\rb"));
    cases.add(invalidHeader("h2-value-lf", "x-v", "a\nb"));
    cases.add(invalidHeader("h2-value-crlf-injection", "x-v", "a\r\nHost: evil.test\r\n\r\nGET /app/smuggled HTTP/1.1"));
    cases.add(invalidHeader("h2-value-nul", "x-v", "a\0b"));
    cases.add(invalidHeader("h2-value-vt", "x-v", "a\u000bb"));
    cases.add(invalidHeader("h2-value-del", "x-v", "a\u007fb"));
    cases.add(invalidHeader("h2-value-0x01", "x-v", "a\u0001b"));
    cases.add(invalidHeader("h2-value-leading-space", "x-v", " a"));
    cases.add(invalidHeader("h2-value-trailing-space", "x-v", "a "));
    cases.add(invalidHeader("h2-value-leading-tab", "x-v", "\ta"));
    cases.add(of("h2-value-inner-tab", head(get(CASE_PATH, "x-v", "a\tb")),
        served("x-v: a<HTAB>b", r -> "a\tb".equals(r.header("x-v")))));
    cases.add(invalidHeader("h2-connection-header", "connection", "close"));
    cases.add(invalidHeader("h2-keep-alive-header", "keep-alive", "timeout=5"));
    cases.add(invalidHeader("h2-proxy-connection-header", "proxy-connection", "keep-alive"));
    cases.add(of("h2-transfer-encoding-smuggle", withBody(bytes("0\r\n\r\n" + SMUGGLED),
        fields("POST", CASE_PATH, "transfer-encoding", "chunked")), refused("invalid_header")));
    cases.add(invalidHeader("h2-upgrade-header", "upgrade", "websocket"));
    cases.add(invalidHeader("h2-te-gzip", "te", "gzip"));
    cases.add(invalidHeader("h2-te-trailers-and-gzip", "te", "trailers, gzip"));
    cases.add(of("h2-te-trailers", head(get(CASE_PATH, "te", "trailers")),
        served("no te header (hop-by-hop)", r -> r.header("te") == null)));
    cases.add(of("h2-cookie-crumbs", head(get(CASE_PATH, "cookie", "a=1", "cookie", "b=2")),
        served("one Cookie: a=1; b=2 (RFC 9113 8.2.3)", r -> List.of("a=1; b=2").equals(r.headers("cookie")))));
  }

  private static void bodiesAndLengths(List<H2Case> cases) {
    cases.add(of("h2-content-length-more-data", withBody(bytes("0123456789"),
        fields("POST", CASE_PATH, "content-length", "5")), refused()));
    cases.add(of("h2-content-length-less-data", withBody(bytes("01234"),
        fields("POST", CASE_PATH, "content-length", "10")), refused()));
    cases.add(of("h2-content-length-without-data", head(fields("POST", CASE_PATH, "content-length", "10")), refused()));
    cases.add(of("h2-content-length-twice-differing", withBody(bytes("01234"),
        fields("POST", CASE_PATH, "content-length", "5", "content-length", "6")), refused()));
    cases.add(of("h2-content-length-not-a-number", withBody(bytes("01234"),
        fields("POST", CASE_PATH, "content-length", "5x")), refused()));
    byte[] smuggledWithLength = bytes("x=1&" + SMUGGLED);
    cases.add(of("h2-request-in-body-with-length", withBody(smuggledWithLength,
            fields("POST", CASE_PATH, "content-length", Integer.toString(smuggledWithLength.length))),
        served("one request carrying the body as data", r ->
            r.target().equals(CASE_PATH) && Arrays.equals(smuggledWithLength, r.body()))));
    byte[] smuggledChunks = bytes("0\r\n\r\n" + SMUGGLED);
    cases.add(of("h2-request-in-body-without-length", withBody(smuggledChunks, fields("POST", CASE_PATH)),
        served("one request carrying the body as data", r ->
            r.target().equals(CASE_PATH) && Arrays.equals(smuggledChunks, r.body()))));
  }

  private static void streamStates(List<H2Case> cases) {
    cases.add(of("h2-data-after-end-stream", c -> {
      int stream = c.request(true, fields("POST", CASE_PATH));
      c.write(data(stream, END_STREAM, bytes("late")));
      return stream;
    }, streamError(STREAM_CLOSED)));
    cases.add(of("h2-data-on-idle-stream", connection(data(3, END_STREAM, bytes("x"))), connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-data-on-stream-0", connection(data(0, 0, bytes("x"))), connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-headers-on-stream-0", c -> {
      c.headers(0, END_HEADERS | END_STREAM, block(get(CASE_PATH)));
      return 0;
    }, connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-headers-even-stream", c -> {
      c.headers(2, END_HEADERS | END_STREAM, block(get(CASE_PATH)));
      return 2;
    }, connectionError(PROTOCOL_ERROR)));
    // RFC 9113 5.1.1 asks for a connection error; Netty resets the stream (STREAM_CLOSED), which refuses it as well
    cases.add(of("h2-headers-lower-stream-id", c -> {
      c.headers(5, END_HEADERS | END_STREAM, block(get(CASE_PATH)));
      c.headers(3, END_HEADERS | END_STREAM, block(get(CASE_PATH)));
      return 3;
    }, streamError(PROTOCOL_ERROR, STREAM_CLOSED)));
    cases.add(of("h2-headers-on-closed-stream", c -> {
      int stream = c.request(true, get(CASE_PATH));
      c.await(stream, PROMPTLY);
      c.forget(stream);
      c.headers(stream, END_HEADERS | END_STREAM, block(get(CASE_PATH)));
      return stream;
    }, streamError(STREAM_CLOSED, PROTOCOL_ERROR)));
    cases.add(of("h2-rst-on-idle-stream", connection(H2FrameClient.rstStream(9, Http2Error.CANCEL)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-rst-on-stream-0", connection(H2FrameClient.rstStream(0, Http2Error.CANCEL)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-window-update-stream-overflow",
        openStreamThen(stream -> H2FrameClient.windowUpdate(stream, Integer.MAX_VALUE)), streamError(FLOW_CONTROL_ERROR)));
    cases.add(of("h2-window-update-connection-overflow", connection(H2FrameClient.windowUpdate(0, Integer.MAX_VALUE)),
        connectionError(FLOW_CONTROL_ERROR)));
    cases.add(of("h2-window-update-zero-on-stream", openStreamThen(stream -> H2FrameClient.windowUpdate(stream, 0)),
        streamError(PROTOCOL_ERROR)));
    cases.add(of("h2-window-update-zero-on-connection", connection(H2FrameClient.windowUpdate(0, 0)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-streams-over-max-concurrent", EdgeBatteryHttp2Test::overMaxConcurrentStreams,
        new Expect("RST_STREAM [REFUSED_STREAM, PROTOCOL_ERROR] (RFC 9113 5.1.2)",
            o -> isCode(o.reset(), REFUSED_STREAM, PROTOCOL_ERROR), r -> r.size() <= BatteryNode.MAX_CONCURRENT_STREAMS)));
  }

  /**
   * Checks the announced SETTINGS_MAX_CONCURRENT_STREAMS, opens that many held streams, then one
   * more (the stream that decides the case); afterwards resets the held streams and expects a new
   * stream to be served on the same connection.
   */
  private static int overMaxConcurrentStreams(H2FrameClient c) {
    assertEquals(Long.valueOf(BatteryNode.MAX_CONCURRENT_STREAMS), c.serverSetting(SETTINGS_MAX_CONCURRENT_STREAMS),
        "SETTINGS_MAX_CONCURRENT_STREAMS announced by the node");
    List<Integer> held = new ArrayList<>();
    for (int i = 0; i < BatteryNode.MAX_CONCURRENT_STREAMS; i++) {
      held.add(c.request(true, get("/app/hold/" + i)));
    }
    int over = c.request(true, get("/app/hold/over"));
    H2FrameClient.Outcome outcome = c.await(over, PROMPTLY);
    held.forEach(stream -> c.write(H2FrameClient.rstStream(stream, Http2Error.CANCEL)));
    if (outcome.connectionUsable()) {
      BatteryNode.assertStreamServed(c, "a stream once the held streams were reset");
    }
    return over;
  }

  private static void frameSizesAndSettings(List<H2Case> cases) {
    byte[] oversized = new byte[H2FrameClient.MAX_FRAME_SIZE + 1];
    cases.add(of("h2-data-over-max-frame-size", openStreamThen(stream -> data(stream, 0, oversized)),
        streamError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-headers-over-max-frame-size", c -> {
      int stream = c.newStreamId();
      c.headers(stream, END_HEADERS | END_STREAM, block(get(CASE_PATH, "x-pad", "p".repeat(H2FrameClient.MAX_FRAME_SIZE))));
      return stream;
    }, connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-settings-bad-length", connection(frame(Http2FrameTypes.SETTINGS, 0, 0, new byte[7])),
        connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-settings-ack-with-payload", connection(frame(Http2FrameTypes.SETTINGS, H2FrameClient.ACK, 0, new byte[6])),
        connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-settings-on-stream", connection(frame(Http2FrameTypes.SETTINGS, 0, 1, new byte[0])),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-settings-enable-push-2", connection(H2FrameClient.settings(SETTINGS_ENABLE_PUSH, 2)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-settings-initial-window-too-large", connection(H2FrameClient.settings(SETTINGS_INITIAL_WINDOW_SIZE, 1L << 31)),
        connectionError(FLOW_CONTROL_ERROR)));
    cases.add(of("h2-settings-max-frame-size-too-small", connection(H2FrameClient.settings(SETTINGS_MAX_FRAME_SIZE, 16_383)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-settings-max-frame-size-too-large", connection(H2FrameClient.settings(SETTINGS_MAX_FRAME_SIZE, 1 << 24)),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-settings-unknown-id", thenGet(H2FrameClient.settings(0x99, 7)),
        served("one request", r -> r.target().equals(CASE_PATH))));
    cases.add(of("h2-ping-bad-length", connection(frame(Http2FrameTypes.PING, 0, 0, new byte[7])),
        connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-window-update-bad-length", connection(frame(Http2FrameTypes.WINDOW_UPDATE, 0, 0, new byte[3])),
        connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-rst-bad-length", openStreamThen(stream -> frame(Http2FrameTypes.RST_STREAM, 0, stream, new byte[3])),
        connectionError(FRAME_SIZE_ERROR)));
    cases.add(of("h2-priority-bad-length", onStream(3, frame(Http2FrameTypes.PRIORITY, 0, 3, new byte[4])),
        streamError(FRAME_SIZE_ERROR)));
    String big = "v".repeat(4096);
    cases.add(of("h2-header-list-over-limit", head(get(CASE_PATH, "x-a", big, "x-b", big, "x-c", "v".repeat(1024))),
        tooLarge()));
    cases.add(of("h2-header-list-far-over-limit", c -> {
      int stream = c.newStreamId();
      byte[] fragment = block("x-a", "v".repeat(16_000));
      c.headers(stream, END_STREAM, block(get(CASE_PATH)));
      c.write(continuation(stream, 0, fragment), continuation(stream, 0, fragment), continuation(stream, END_HEADERS, fragment));
      return stream;
    }, tooLarge()));
  }

  private static void controlFramesAndHpack(List<H2Case> cases) {
    cases.add(of("h2-ping-on-stream", connection(frame(Http2FrameTypes.PING, 0, 1, new byte[8])), connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-priority-self-dependency", onStream(3, H2FrameClient.priority(3, 3, 16)), streamError(PROTOCOL_ERROR)));
    cases.add(of("h2-headers-self-dependency", c -> {
      int stream = c.newStreamId();
      c.headers(stream, END_HEADERS | END_STREAM | H2FrameClient.PRIORITY,
          H2FrameClient.concat(new byte[] {0, 0, 0, (byte) stream, 16}, block(get(CASE_PATH))));
      return stream;
    }, streamError(PROTOCOL_ERROR)));
    cases.add(of("h2-continuation-without-headers", connection(continuation(1, END_HEADERS, block(get(CASE_PATH)))),
        connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-frame-between-headers-and-continuation", c -> {
      int stream = c.newStreamId();
      c.headers(stream, END_STREAM, block(":method", "GET", ":scheme", "http"));
      c.write(H2FrameClient.ping(0, 1), continuation(stream, END_HEADERS, block(":authority", AUTHORITY, ":path", CASE_PATH)));
      return stream;
    }, connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-continuation-on-other-stream", c -> {
      int stream = c.newStreamId();
      c.headers(stream, END_STREAM, block(":method", "GET", ":scheme", "http"));
      c.write(continuation(stream + 2, END_HEADERS, block(":authority", AUTHORITY, ":path", CASE_PATH)));
      return stream;
    }, connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-push-promise-from-client", connection(frame(Http2FrameTypes.PUSH_PROMISE, END_HEADERS, 1,
        H2FrameClient.concat(new byte[] {0, 0, 0, 2}, block(get(CASE_PATH))))), connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-unknown-frame-type", thenGet(frame(0x42, 0, 0, bytes("ignore me"))),
        served("one request", r -> r.target().equals(CASE_PATH))));
    cases.add(of("h2-data-padding-too-long", openStreamThen(stream ->
        data(stream, H2FrameClient.PADDED | END_STREAM, new byte[] {10, 'a', 'b'})), connectionError(PROTOCOL_ERROR)));
    cases.add(of("h2-hpack-bad-index", head0(H2FrameClient.concat(hpackInteger(7, 0x80, 200))), connectionError(COMPRESSION_ERROR)));
    cases.add(of("h2-hpack-table-size-over-setting", head0(H2FrameClient.concat(hpackInteger(5, 0x20, 100_000), block(get(CASE_PATH)))),
        connectionError(COMPRESSION_ERROR)));
    cases.add(of("h2-hpack-truncated-literal", head0(H2FrameClient.concat(block(get(CASE_PATH)), new byte[] {0x00, 0x05, 'x'})),
        connectionError(COMPRESSION_ERROR)));
  }

  /** A HEADERS frame carrying the raw HPACK bytes {@code hpack} on a new stream. */
  private static Script head0(byte[] hpack) {
    return c -> {
      int stream = c.newStreamId();
      c.headers(stream, END_HEADERS | END_STREAM, hpack);
      return stream;
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void http2Case(H2Case c) {
    H2FrameClient.Outcome outcome;
    try (H2FrameClient client = H2FrameClient.open(node.port())) {
      int stream = c.script().send(client);
      outcome = client.await(stream, PROMPTLY);
      if (!c.expect().accepts().test(outcome) && !outcome.closed()) {
        outcome = client.awaitClose(stream, PROMPTLY); // a connection error may come after the stream's own end
      }
      assertTrue(c.expect().accepts().test(outcome),
          c.name() + ": expected " + c.expect().description() + ", got " + outcome);
      if (outcome.connectionUsable()) {
        BatteryNode.assertStreamServedUnlessConnectionEnded(client, c.name() + ", same connection");
      }
    }
    node.assertServes(c.name());
    List<RecordingUpstream.Recorded> reached = node.caseRequests();
    assertTrue(c.expect().upstream().test(reached), c.name() + ": the upstream got "
        + reached.stream().map(r -> r.requestLine() + " " + r.headers()).toList());
  }

  // ---- HTTP/1.1 Upgrade: h2c and broken prefaces ----

  /** One row of the upgrade and preface table: raw bytes, and what a well-behaved node does with them. */
  record RawCase(String name, String bytes, Predicate<RawAnswer> accepts, String description) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** The node's answer to a raw case: an HTTP/1.1 status (or 0), the HTTP/2 outcome of stream 1 after a 101, or a close. */
  record RawAnswer(int http1Status, H2FrameClient.Outcome afterUpgrade, boolean closedWithoutAnswer) {}

  private static final String UPGRADE = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n";

  /** Served once: 101 and then 200 on stream 1, or a plain 200 (the node may decline to upgrade). */
  private static boolean servedOnce(RawAnswer a) {
    return a.http1Status() == 200
        || (a.http1Status() == 101 && a.afterUpgrade() != null && Integer.valueOf(200).equals(a.afterUpgrade().status()));
  }

  static Stream<RawCase> rawCases() {
    return Stream.of(
        new RawCase("h1-upgrade-h2c-get", "GET /app/up HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n" + UPGRADE + "\r\n",
            EdgeBatteryHttp2Test::servedOnce, "served once (101 then 200 on stream 1, or 200)"),
        new RawCase("h1-upgrade-h2c-post-with-body", "POST /app/up HTTP/1.1\r\nHost: " + AUTHORITY
            + "\r\nContent-Length: 5\r\n" + UPGRADE + "\r\nhello",
            a -> servedOnce(a) || (a.http1Status() >= 400 && a.http1Status() < 500), "served once, or a 4xx"),
        new RawCase("h1-upgrade-h2c-without-settings", "GET /app/up HTTP/1.1\r\nHost: " + AUTHORITY
            + "\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
            a -> a.http1Status() == 200 || a.http1Status() == 400, "200 not upgraded (RFC 7540 3.2.1), or 400 and close"),
        new RawCase("h2-bad-preface", "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n",
            a -> a.closedWithoutAnswer() || (a.http1Status() >= 400 && a.http1Status() < 500), "closed, or a 4xx"),
        new RawCase("h2-first-frame-not-settings", new String(H2FrameClient.concat(H2FrameClient.PREFACE, H2FrameClient.ping(0, 7)),
            StandardCharsets.ISO_8859_1), a -> a.closedWithoutAnswer(), "GOAWAY PROTOCOL_ERROR and close"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rawCases")
  void upgradeAndPrefaceCase(RawCase c) throws IOException {
    RawAnswer answer = rawExchange(c.bytes());
    assertTrue(c.accepts().test(answer), c.name() + ": expected " + c.description() + ", got " + answer);
    node.assertServes(c.name());
    for (RecordingUpstream.Recorded r : node.caseRequests()) {
      assertEquals(null, r.header("upgrade"), c.name() + ": Upgrade forwarded in " + r.rawString());
      assertEquals(null, r.header("http2-settings"), c.name() + ": HTTP2-Settings forwarded in " + r.rawString());
      if (r.method().equals("POST")) {
        assertEquals("hello", r.bodyString(), c.name() + ": the body as sent");
      }
    }
    assertTrue(node.caseRequests().size() <= 1, c.name() + ": at most the one request upstream");
  }

  /**
   * Sends {@code bytes} on a new connection; reads an HTTP/1.1 answer (after a 101, speaks HTTP/2 on
   * and reads stream 1), or notes that the node closed the connection without an HTTP/1.1 answer
   * (an HTTP/2 GOAWAY counts as such).
   */
  private RawAnswer rawExchange(String bytes) throws IOException {
    try (Socket socket = RawHttp.send(node.port(), bytes)) {
      socket.setSoTimeout((int) PROMPTLY.toMillis());
      byte[] first = socket.getInputStream().readNBytes(5);
      if (first.length < 5 || !new String(first, StandardCharsets.ISO_8859_1).equals("HTTP/")) {
        return new RawAnswer(0, null, readsToEnd(socket.getInputStream()));
      }
      RawHttp.Response response = RawHttp.read(new SequenceInputStream(new ByteArrayInputStream(first), socket.getInputStream()));
      if (response.status() != 101) {
        return new RawAnswer(response.status(), null, false);
      }
      try (H2FrameClient h2 = H2FrameClient.afterUpgrade(socket)) {
        return new RawAnswer(101, h2.await(1, PROMPTLY), false);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + PROMPTLY, e);
    }
  }

  /** Reads until the end of the stream; false when the socket timeout ran out first. */
  private static boolean readsToEnd(InputStream in) throws IOException {
    try {
      in.transferTo(OutputStream.nullOutputStream());
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
