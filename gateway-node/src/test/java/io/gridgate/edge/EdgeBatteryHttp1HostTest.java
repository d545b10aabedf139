package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.head;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Host rules (RFC 9112 3.2): HTTP/1.1 needs exactly one valid Host; an absolute-form target's
 * authority wins over Host and is what the upstream is told ({@code X-Forwarded-Host}).
 */
class EdgeBatteryHttp1HostTest extends EdgeBatteryHttp1Table {
  private static final Outcome INVALID = refused(400, "invalid_host");

  static final List<EdgeCase> CASES = List.of(
      row("host-missing", head("GET /app/x HTTP/1.1"), refused(400, "missing_host")),
      row("host-missing-http-1.0", head("GET /app/x HTTP/1.0"), served(Seen.request("GET /app/x HTTP/1.1"))),
      row("host-duplicate-equal", head("GET /app/x HTTP/1.1", HOST, HOST), INVALID),
      row("host-duplicate-differing", head("GET /app/x HTTP/1.1", HOST, "Host: other.test"), INVALID),
      row("host-comma-list", get("Host: gw.test, other.test"), INVALID),
      row("host-empty", get("Host: "), refused(400, "invalid_host", "missing_host")),
      row("host-space-inside", get("Host: gw test"), INVALID),
      row("host-with-path", get("Host: gw.test/app/admin"), INVALID),
      row("host-with-userinfo", get("Host: user@gw.test"), INVALID),
      row("host-port-not-a-number", get("Host: gw.test:abc"), INVALID),
      row("host-port-negative", get("Host: gw.test:-1"), INVALID),
      row("host-angle-bracket", get("Host: gw<test"), INVALID),
      row("host-ipv6-unclosed", get("Host: [::1"), INVALID),
      row("host-obs-fold", head("GET /app/x HTTP/1.1", "Host:", " gw.test"), refused(400, "invalid_host")),
      row("host-space-before-colon", get("Host : gw.test"), malformed()),
      row("host-with-port", get("Host: gw.test:8080"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Forwarded-Host", "gw.test:8080"))),
      row("host-ipv6-literal", get("Host: [::1]:8080"), served(Seen.request("GET /app/x HTTP/1.1"))),
      row("absolute-form-authority-wins", head("GET http://front.test/app/x HTTP/1.1", "Host: other.test"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Forwarded-Host", "front.test"))),
      row("absolute-form-without-host", head("GET http://front.test/app/x HTTP/1.1"), refused(400, "missing_host")));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  /** {@code GET /app/x HTTP/1.1} whose only Host line is {@code hostLine}. */
  private static String get(String hostLine) {
    return head("GET /app/x HTTP/1.1", hostLine);
  }
}
