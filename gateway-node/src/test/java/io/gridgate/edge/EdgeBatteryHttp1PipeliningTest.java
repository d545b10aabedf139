package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.SMUGGLED;
import static io.gridgate.edge.EdgeRequests.get;
import static io.gridgate.edge.EdgeRequests.head;
import static io.gridgate.edge.EdgeRequests.post;
import static io.gridgate.edge.EdgeRequests.postChunked;
import static io.gridgate.edge.EdgeRequests.postWithLength;

import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Several requests in one write, requests carried in a body, and bodies over {@code max_body_size}
 * (1 KB here), with and without {@code Expect: 100-continue}. Each pipelined request is judged on
 * its own (a request for the protected route gets its 401) and a malformed one ends the connection;
 * the upstream sees exactly the well-formed requests before it, never one hidden in a body. A
 * refusal sent before the body was read closes the connection, so the body is never read as a
 * request.
 */
class EdgeBatteryHttp1PipeliningTest extends EdgeBatteryHttp1Table {
  private static final EdgeCase.Outcome ONE = served(Seen.request("GET /app/one HTTP/1.1"));
  private static final EdgeCase.Outcome TOO_LARGE = refused(413, "body_too_large").closing();

  static final List<EdgeCase> CASES = List.of(
      row("pipelined-two-gets", get("/app/one") + get("/app/two"),
          ONE.then(served(Seen.request("GET /app/two HTTP/1.1")))),
      row("pipelined-then-protected", get("/app/one") + get("/app/admin/x"), ONE.then(refused(401, "unauthorized"))),
      row("pipelined-then-obs-fold", get("/app/one") + get("/app/two", "X-Note: a", " b"),
          ONE.then(served(Seen.request("GET /app/two HTTP/1.1").with("X-Note", "a b")))),
      row("pipelined-then-bare-cr", get("/app/one") + "GET /app/two HTTP/1.1\rHost: gw.test\r\n\r\n",
          ONE.then(malformed())),
      row("pipelined-then-cl-te", get("/app/one") + post("/app/two", "0\r\n\r\n" + SMUGGLED, "Content-Length: 4",
          "Transfer-Encoding: chunked"), ONE.then(malformed())),
      row("pipelined-then-bad-version", get("/app/one") + head("GET /app/two HTTP/2.0", HOST), ONE.then(malformed())),
      row("pipelined-then-garbage", postWithLength("/app/x", "hello") + "GARBAGE\r\n\r\n",
          served(Seen.request("POST /app/x HTTP/1.1").body("hello")).then(malformed())),
      row("cl-zero-then-protected", postWithLength("/app/x", "") + get("/app/admin/x"),
          served(Seen.request("POST /app/x HTTP/1.1")).then(refused(401, "unauthorized"))),
      row("chunked-then-protected", postChunked("/app/x", "5\r\nhello\r\n0\r\n\r\n") + get("/app/admin/x"),
          served(Seen.request("POST /app/x HTTP/1.1").body("hello")).then(refused(401, "unauthorized"))),
      row("cl-body-holds-request", postWithLength("/app/x", SMUGGLED),
          served(Seen.request("POST /app/x HTTP/1.1").body(SMUGGLED))),
      row("get-body-holds-request", head("GET /app/x HTTP/1.1", HOST, "Content-Length: " + SMUGGLED.length()) + SMUGGLED,
          served(Seen.request("GET /app/x HTTP/1.1").body(SMUGGLED))),
      row("refused-before-body-closes", postWithLength("/app/admin/x", "hello"),
          refused(401, "unauthorized").closing()),
      row("refused-body-holds-request", postWithLength("/app/admin/x", SMUGGLED), refused(401, "unauthorized").closing()),
      row("expect-continue-over-limit", head("POST /app/x HTTP/1.1", HOST, "Content-Length: 2048",
          "Expect: 100-continue"), TOO_LARGE.withoutContinue()),
      row("expect-continue-within-limit", postWithLength("/app/x", "hello", "Expect: 100-continue"),
          served(Seen.request("POST /app/x HTTP/1.1").without("Expect").body("hello"))),
      row("cl-over-limit", head("POST /app/x HTTP/1.1", HOST, "Content-Length: 2048"), TOO_LARGE),
      row("chunked-over-limit", postChunked("/app/x", "800\r\n{pad:2048}\r\n0\r\n\r\n"), TOO_LARGE));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }
}
