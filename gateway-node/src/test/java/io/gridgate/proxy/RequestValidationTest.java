package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
 * HTTP/1.1 request validation before routing, over raw sockets: the request-target's form and bytes,
 * the Host rules, absolute-form targets, header lines Netty's decoder lets through, CONNECT and
 * TRACE. Every refused request is answered with its status and {@code error} and reaches nothing
 * (the upstream records every byte it gets).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestValidationTest {
  private GatewayFixture gw;
  private RecordingUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
          - {id: other, match: {path: {prefix: /}, hosts: [other.test]}, upstream: app, host_header: preserve}
          - {id: traced, match: {path: {prefix: /traced}, methods: [GET, TRACE]}, upstream: app}
        """.formatted(app.address()));
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  private static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: gw.test\r\n\r\n";
  }

  private static String withHost(String hostLines) {
    return "GET /h HTTP/1.1\r\n" + hostLines + "\r\n";
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("0x01 in the path", get("/a\u0001b"), 400, "invalid_request_target"),
        Arguments.of("DEL in the path", get("/a\u007fb"), 400, "invalid_request_target"),
        Arguments.of("NUL in the path", get("/a\u0000b"), 400, "invalid_request_target"),
        Arguments.of("non-ASCII in the path", get("/caf\u00e9"), 400, "invalid_request_target"),
        Arguments.of("0x01 in the query", get("/a?q=\u0001"), 400, "invalid_request_target"),
        Arguments.of("DEL in the query", get("/a?q=\u007f"), 400, "invalid_request_target"),
        Arguments.of("NUL in the query", get("/a?q=\u0000"), 400, "invalid_request_target"),
        Arguments.of("non-ASCII in the query", get("/a?q=\u00e9"), 400, "invalid_request_target"),
        Arguments.of("a fragment", get("/a#b"), 400, "invalid_request_target"),
        Arguments.of("CR in the path", get("/a\rb"), 400, "bad_request"),
        Arguments.of("LF in the path", get("/a\nb"), 400, "bad_request"),
        Arguments.of("VT in the path", get("/a\u000bb"), 400, "bad_request"),
        Arguments.of("HTAB in the path", get("/a\tb"), 400, "bad_request"),
        Arguments.of("SP in the path", get("/a b"), 400, "bad_request"),
        Arguments.of("asterisk-form", get("*"), 400, "invalid_request_target"),
        Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: gw.test\r\n\r\n", 400, "invalid_request_target"),
        Arguments.of("a relative path", get("a/b"), 400, "invalid_request_target"),
        Arguments.of("an ftp URI", get("ftp://other.test/x"), 400, "invalid_request_target"),
        Arguments.of("userinfo in an absolute URI", get("http://user@other.test/x"), 400, "invalid_request_target"),
        Arguments.of("an absolute URI without host", get("http:///x"), 400, "invalid_request_target"),
        Arguments.of("an absolute URI with a bad port", get("http://other.test:99999/x"), 400,
            "invalid_request_target"),
        Arguments.of("a malformed escape", get("/a%zz"), 400, "invalid_path"),
        Arguments.of("an encoded NUL", get("/a%00"), 400, "invalid_path"),
        Arguments.of("HTTP/1.1 without Host", "GET /h HTTP/1.1\r\n\r\n", 400, "missing_host"),
        Arguments.of("two Host lines", withHost("Host: gw.test\r\nHost: gw.test\r\n"), 400, "invalid_host"),
        Arguments.of("two Host lines, absolute-form", "GET http://other.test/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            400, "invalid_host"),
        Arguments.of("an empty Host", withHost("Host: \r\n"), 400, "invalid_host"),
        Arguments.of("a Host with a space", withHost("Host: gw test\r\n"), 400, "invalid_host"),
        Arguments.of("a Host list", withHost("Host: gw.test, other.test\r\n"), 400, "invalid_host"),
        Arguments.of("a Host with userinfo", withHost("Host: user@gw.test\r\n"), 400, "invalid_host"),
        Arguments.of("a Host with a path", withHost("Host: gw.test/x\r\n"), 400, "invalid_host"),
        Arguments.of("a Host with an empty port", withHost("Host: gw.test:\r\n"), 400, "invalid_host"),
        Arguments.of("a Host with a port above 65535", withHost("Host: gw.test:65536\r\n"), 400, "invalid_host"),
        Arguments.of("a Host with a bad port", withHost("Host: gw.test:8o\r\n"), 400, "invalid_host"),
        Arguments.of("an unclosed IPv6 Host", withHost("Host: [::1\r\n"), 400, "invalid_host"),
        Arguments.of("an invalid Host beside an absolute URI", "GET http://other.test/x HTTP/1.1\r\nHost: a b\r\n\r\n",
            400, "invalid_host"),
        Arguments.of("an empty header name", withHost("Host: gw.test\r\n: v\r\n"), 400, "invalid_header"),
        Arguments.of("VT in a header value", withHost("Host: gw.test\r\nX-V: a\u000bb\r\n"), 400, "bad_request"),
        Arguments.of("DEL in a header value", withHost("Host: gw.test\r\nX-V: a\u007fb\r\n"), 400, "bad_request"),
        Arguments.of("0x01 in a header value", withHost("Host: gw.test\r\nX-V: a\u0001b\r\n"), 400, "bad_request"),
        Arguments.of("NUL in a header value", withHost("Host: gw.test\r\nX-V: a\u0000b\r\n"), 400, "bad_request"),
        Arguments.of("CR in a header value", withHost("Host: gw.test\r\nX-V: a\rb\r\n"), 400, "bad_request"),
        Arguments.of("a header name with a space", withHost("Host: gw.test\r\nX V: a\r\n"), 400, "bad_request"),
        Arguments.of("a header name with a separator", withHost("Host: gw.test\r\nX(V): a\r\n"), 400, "bad_request"),
        Arguments.of("a header name with non-ASCII", withHost("Host: gw.test\r\nX\u00e9: a\r\n"), 400, "bad_request"),
        Arguments.of("a method that is not a token", "G(T /h HTTP/1.1\r\nHost: gw.test\r\n\r\n", 400, "bad_request"),
        Arguments.of("a coding before chunked", "POST /h HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "0\r\n\r\n", 400, "invalid_transfer_encoding"),
        Arguments.of("an unknown coding", "POST /h HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: x, chunked\r\n\r\n"
            + "0\r\n\r\n", 400, "invalid_transfer_encoding"),
        Arguments.of("CONNECT", "CONNECT gw.test:443 HTTP/1.1\r\nHost: gw.test:443\r\n\r\n", 405, "method_not_allowed"),
        Arguments.of("TRACE on a route without TRACE", "TRACE /h HTTP/1.1\r\nHost: gw.test\r\n\r\n", 405,
            "method_not_allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedWithTheConnectionClosedAndNothingReachesTheUpstream(String what, String request, int status,
                                                                   String error) {
    RawHttp.Response response = gw.raw(request);

    assertEquals(status, response.status(), what + ": " + response.body());
    assertEquals(error, new JsonObject(response.body()).getString("error"), what);
    assertEquals("close", response.header("Connection"), what);
    assertEquals(0, app.count(), what + " reached the upstream");
  }

  @Test
  void traceIsAnsweredWithAllowWhenTheRouteDoesNotListIt() {
    RawHttp.Response response = gw.raw("TRACE /h HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    assertEquals(405, response.status());
    assertEquals(MethodRules.ANY_BUT_TRACE, response.header("Allow"));
  }

  @Test
  void traceIsForwardedOnARouteThatListsIt() {
    RawHttp.Response response = gw.raw("TRACE /traced/x HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    assertEquals(200, response.status());
    assertEquals("TRACE /traced/x HTTP/1.1", app.last().requestLine());
  }

  @Test
  void theAuthorityOfAnAbsoluteFormTargetWinsOverHost() {
    RawHttp.Response response = gw.raw("GET http://other.test:81/abs?x=1 HTTP/1.1\r\nHost: gw.test\r\n\r\n");

    assertEquals(200, response.status(), response.body());
    RecordingUpstream.Recorded forwarded = app.last();
    assertEquals("/abs?x=1", forwarded.target(), "forwarded in origin-form");
    assertEquals("other.test:81", forwarded.header("Host"), "the route for other.test, preserving its authority");
    assertEquals("other.test:81", forwarded.header("X-Forwarded-Host"));
  }

  @Test
  void anAbsoluteFormTargetNamesTheHostOfAnHttp10RequestWithoutOne() {
    RawHttp.Response response = gw.raw("GET HTTP://Other.test/abs HTTP/1.0\r\n\r\n");

    assertEquals(200, response.status(), response.body());
    assertEquals("Other.test", app.last().header("Host"));
  }

  @Test
  void http10WithoutHostIsServed() {
    RawHttp.Response response = gw.raw("GET /h HTTP/1.0\r\n\r\n");

    assertEquals(200, response.status(), response.body());
    assertEquals("/h", app.last().target());
  }

  @Test
  void validHostsAreServed() {
    for (String host : new String[] {"gw.test", "gw.test:8080", "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:8080",
        "my_host.test", "xn--bcher-kva.test"}) {
      RawHttp.Response response = gw.raw(withHost("Host: " + host + "\r\n"));
      assertEquals(200, response.status(), host + ": " + response.body());
      assertNull(response.header("Connection"), host);
    }
    assertEquals(8, app.count());
  }

  @Test
  void theGatewayKeepsServingAfterEveryRefusal() {
    refused().forEach(arguments -> gw.raw((String) arguments.get()[1]));

    RawHttp.Response ok = gw.raw(get("/fine"));

    assertEquals(200, ok.status());
    assertEquals(1, app.count());
    assertEquals("/fine", app.last().target());
  }
}
