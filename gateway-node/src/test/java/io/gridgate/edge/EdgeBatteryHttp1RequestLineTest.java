package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.malformedOr;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.get;
import static io.gridgate.edge.EdgeRequests.head;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * The request line: HTTP versions, methods (CONNECT, lower case, not a token), and the
 * request-target (forms, raw bytes that must never reach an upstream, percent-encoding, length).
 */
class EdgeBatteryHttp1RequestLineTest extends EdgeBatteryHttp1Table {
  private static final Outcome X = served(Seen.request("GET /app/x HTTP/1.1"));
  private static final Outcome[] BAD_TARGET = malformedOr("invalid_request_target");

  static final List<EdgeCase> CASES = List.of(
      row("version-1.2-served-as-1.1", head("GET /app/x HTTP/1.2", HOST), X),
      row("version-1.9-served-as-1.1", head("GET /app/x HTTP/1.9", HOST), X),
      row("version-1.10", head("GET /app/x HTTP/1.10", HOST), malformed()),
      row("version-lower-case", head("GET /app/x http/1.1", HOST), malformed()),
      row("version-2.0", head("GET /app/x HTTP/2.0", HOST), malformed()),
      row("version-missing-minor", head("GET /app/x HTTP/1", HOST), malformed()),
      row("version-garbage", head("GET /app/x HTTX/1.1", HOST), malformed()),
      row("version-0.9-style", "GET /app/x\r\n\r\n", malformed()),
      row("leading-empty-line", "\r\n" + get("/app/x"), X),
      row("method-connect", head("CONNECT gw.test:443 HTTP/1.1", HOST), refused(405, "method_not_allowed")),
      row("method-connect-origin-form", head("CONNECT /app/x HTTP/1.1", HOST), refused(405, "method_not_allowed")),
      row("method-extension", head("PURGE /app/x HTTP/1.1", HOST), served(Seen.request("PURGE /app/x HTTP/1.1"))),
      row("method-lower-case", head("get /app/x HTTP/1.1", HOST), served(Seen.request("get /app/x HTTP/1.1")),
          refused(400, "invalid_method"), refused(405, "method_not_allowed")),
      row("method-lower-case-trace", head("trace /app/x HTTP/1.1", HOST), served(Seen.request("trace /app/x HTTP/1.1")),
          refused(400, "invalid_method"), refused(405, "method_not_allowed")),
      row("method-not-a-token", head("G@T /app/x HTTP/1.1", HOST), malformedOr("invalid_method")),
      row("method-with-ctl", head("GE\u0001T /app/x HTTP/1.1", HOST), malformedOr("invalid_method")),
      row("method-missing", head(" /app/x HTTP/1.1", HOST), malformed()),
      row("target-bare-cr", head("GET /app/x\ry HTTP/1.1", HOST), BAD_TARGET),
      row("target-lf", head("GET /app/x\ny HTTP/1.1", HOST), BAD_TARGET),
      row("target-nul", head("GET /app/x\0y HTTP/1.1", HOST), BAD_TARGET),
      row("target-tab", head("GET /app/x\ty HTTP/1.1", HOST), BAD_TARGET),
      row("target-space", head("GET /app/x y HTTP/1.1", HOST), BAD_TARGET),
      row("target-vertical-tab", get("/app/x\u000by"), BAD_TARGET),
      row("target-del", get("/app/x\u007fy"), BAD_TARGET),
      row("target-latin1-byte", get("/app/caf\u00e9"), BAD_TARGET),
      row("target-utf8-bytes", get("/app/caf\u00c3\u00a9"), BAD_TARGET),
      row("target-fragment", get("/app/x#frag"), BAD_TARGET),
      row("query-ctl", get("/app/x?q=a\u0001b"), BAD_TARGET),
      row("query-del", get("/app/x?q=a\u007fb"), BAD_TARGET),
      row("query-latin1-byte", get("/app/x?q=caf\u00e9"), BAD_TARGET),
      row("query-fragment", get("/app/x?q=1#frag"), BAD_TARGET),
      row("target-relative", get("app/x"), BAD_TARGET),
      row("target-asterisk-form", head("OPTIONS * HTTP/1.1", HOST), BAD_TARGET),
      row("target-authority-form", head("GET gw.test:80 HTTP/1.1", HOST), BAD_TARGET),
      row("target-absolute-form", get("http://gw.test/app/x"), X),
      row("target-absolute-form-https", get("https://gw.test/app/x"), X),
      row("target-absolute-form-ftp", get("ftp://gw.test/app/x"), BAD_TARGET),
      row("target-absolute-form-empty-authority", get("http:///app/x"), malformed(),
          refused(400, "invalid_request_target", "invalid_host")),
      row("target-escape-malformed", get("/app/%zz"), refused(400, "invalid_path")),
      row("target-escape-truncated", get("/app/x%4"), refused(400, "invalid_path")),
      row("target-escape-nul", get("/app/%00x"), refused(400, "invalid_path")),
      row("target-unreserved-escapes-decoded", get("/app/%7Euser%2dx"), served(Seen.request("GET /app/~user-x HTTP/1.1"))),
      row("target-reserved-escapes-upper-cased", get("/app/a%3cb%2a"), served(Seen.request("GET /app/a%3Cb%2A HTTP/1.1"))),
      row("target-space-escape-kept", get("/app/a%20b"), served(Seen.request("GET /app/a%20b HTTP/1.1"))),
      row("uri-too-long", get("/app/{pad:5000}"), refused(414, "uri_too_long")),
      row("headers-too-large", get("/app/x", "X-Pad: {pad:9000}"), refused(431, "headers_too_large")));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }
}
