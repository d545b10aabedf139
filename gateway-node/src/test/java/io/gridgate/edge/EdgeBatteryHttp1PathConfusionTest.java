package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.get;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Path confusion against a shared backend: {@code /app} is open, {@code /app/admin} needs a JWT and
 * {@code /app/internal} an address in 10.0.0.0/8, all in front of the same upstream. Every spelling
 * a backend decoding the path once could read as {@code /app/admin} or {@code /app/internal}
 * (escapes of unreserved characters, dot segments, doubled slashes, backslashes, {@code ;}
 * parameters, fragments) is caught by the protected route or refused, never served by the open one;
 * what the open route forwards is the normalised path. Double escapes and escaped reserved
 * characters stay escaped (spec), so they reach the open route unchanged. {@code /strip} and
 * {@code /keep} show what {@code path_parameters} forwards.
 */
class EdgeBatteryHttp1PathConfusionTest extends EdgeBatteryHttp1Table {
  private static final Outcome CAUGHT = refused(401, "unauthorized");
  private static final Outcome DENIED = refused(403, "address_denied");
  /** Routes are matched without {@code ;} parameters, so the protected route catches it, refusing the parameters or the missing token. */
  private static final Outcome[] PARAMETERS_CAUGHT = {refused(400, "path_parameters_refused"), CAUGHT};

  static final List<EdgeCase> CASES = List.of(
      row("escaped-a-in-admin", get("/app/%61dmin"), CAUGHT),
      row("escaped-i-in-admin", get("/app/adm%69n"), CAUGHT),
      row("escaped-upper-case-hex", get("/app/ad%6Din/x"), CAUGHT),
      row("escaped-capital-forwarded-decoded", get("/app/%41dmin"), servedAs("GET /app/Admin HTTP/1.1")),
      row("dot-segment", get("/app/./admin"), CAUGHT),
      row("double-slash", get("/app//admin"), CAUGHT),
      row("leading-double-slash", get("//app/admin"), CAUGHT),
      row("escaped-dot-segment", get("/app/%2e/admin"), CAUGHT),
      row("escaped-dot-dot-from-sibling", get("/app/x/%2e%2e/admin"), CAUGHT),
      row("escaped-slash", get("/app%2fadmin"), CAUGHT),
      row("backslash", get("/app\\admin"), CAUGHT),
      row("backslash-dot-dot", get("/app/x\\..\\admin"), CAUGHT),
      row("escaped-backslash-dot-dot", get("/app/x%5c..%5cadmin"), CAUGHT),
      row("trailing-slash", get("/app/admin/"), CAUGHT),
      row("escaped-trailing-slash", get("/app/admin%2f"), CAUGHT),
      row("absolute-form-escaped", get("http://gw.test/app/%61dmin"), CAUGHT),
      row("fragment-on-admin", get("/app/admin#x"), refused(400, "invalid_request_target")),
      row("escaped-nul-after-admin", get("/app/admin%00"), refused(400, "invalid_path")),
      row("parameter-on-admin", get("/app/admin;jsessionid=x"), PARAMETERS_CAUGHT),
      row("parameter-mid-path", get("/app/admin;x=1/users"), PARAMETERS_CAUGHT),
      row("dot-dot-parameter-climb", get("/app/x/..;/admin"), PARAMETERS_CAUGHT),
      row("dot-dot-named-parameter-climb", get("/app/x/..;jsessionid=1/admin"), PARAMETERS_CAUGHT),
      row("admin-dot-dot-parameter", get("/app/admin/..;/"), servedAs("GET /app/ HTTP/1.1")),
      row("keep-route-parameter-climb", get("/keep/..;/app/admin"), PARAMETERS_CAUGHT),
      row("parameter-on-open-route", get("/app/x;y=1"), refused(400, "path_parameters_refused")),
      row("escaped-semicolon-is-a-parameter", get("/app/admin%3bx"), PARAMETERS_CAUGHT),
      row("double-escaped-dot-dot-stays-escaped", get("/app/x/%252e%252e/admin"),
          servedAs("GET /app/x/%252e%252e/admin HTTP/1.1")),
      row("double-escaped-letter-stays-escaped", get("/app/%2561dmin"), servedAs("GET /app/%2561dmin HTTP/1.1")),
      row("admin-prefix-look-alike", get("/app/administrator"), servedAs("GET /app/administrator HTTP/1.1")),
      row("internal-escaped", get("/app/%69nternal"), DENIED),
      row("internal-dot-segment", get("/app/./internal/x"), DENIED),
      row("internal-parameter", get("/app/internal;x=1"), refused(400, "path_parameters_refused"), DENIED),
      row("strip-route-parameters", get("/strip/a;jsessionid=x/b"), servedAs("GET /strip/a/b HTTP/1.1")),
      row("strip-route-last-parameter", get("/strip/a;v=1?q=1"), servedAs("GET /strip/a?q=1 HTTP/1.1")),
      row("keep-route-parameters", get("/keep/a;v=1/b"), servedAs("GET /keep/a;v=1/b HTTP/1.1")));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  private static Outcome servedAs(String requestLine) {
    return served(Seen.request(requestLine));
  }
}
