package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.get;
import static io.gridgate.edge.EdgeRequests.head;

import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * What an answer must not give away: 502/504 bodies name no target address, port or exception;
 * an ACL refusal names no configured group; a refused credential is not echoed; TRACE, which would
 * echo the request's cookies and credentials, is refused unless a route lists it.
 */
class EdgeBatteryHttp1LeaksTest extends EdgeBatteryHttp1Table {
  private static final String[] INTERNALS = {"127.0.0.1", "Exception", "java.", "io.netty", "io.vertx"};

  static final List<EdgeCase> CASES = List.of(
      row("bad-gateway-body-generic", get("/dead/x"),
          refused(502, "bad_gateway").bodyWithout(with(INTERNALS, ":{dead-port}"))),
      row("gateway-timeout-body-generic", get("/slow/x"),
          refused(504, "upstream_timeout").bodyWithout(with(INTERNALS, ":{upstream-port}"))
              .reaching(Seen.request("GET /slow/x HTTP/1.1"))),
      row("acl-refusal-names-no-group", get("/acl/x", "Authorization: Bearer {jwt}"),
          refused(403, "forbidden").bodyWithout(EdgeBattery.SECRET_GROUP)),
      row("token-refusal-not-echoed", get("/app/admin/x", "Authorization: Bearer secret-guess-42"),
          refused(401, "unauthorized").bodyWithout("secret-guess-42")),
      row("api-key-refusal-not-echoed", get("/key/x", "X-API-Key: gg_secret-guess-42"),
          refused(401, "unauthorized").bodyWithout("gg_secret-guess-42")),
      row("trace-refused", head("TRACE /app/x HTTP/1.1", HOST, "Cookie: session=secret-cookie-42"),
          refused(405, "method_not_allowed").bodyWithout("secret-cookie-42")),
      row("trace-on-route-listing-it", head("TRACE /tracing/x HTTP/1.1", HOST),
          served(Seen.request("TRACE /tracing/x HTTP/1.1"))));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  private static String[] with(String[] texts, String more) {
    String[] all = java.util.Arrays.copyOf(texts, texts.length + 1);
    all[texts.length] = more;
    return all;
  }
}
