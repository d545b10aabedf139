package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.get;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Credential tricks on the JWT route {@code /app/admin} (identity headers {@code X-User-Id},
 * {@code X-User-Roles}), the query-token route {@code /qt} and the API-key route {@code /key}: the
 * Bearer scheme in any case; duplicated credentials are refused or served with exactly the verified
 * identity, never with a credential upstream; a credential after {@code ;} in the query does not
 * authenticate; client copies of identity headers never reach the upstream.
 */
class EdgeBatteryHttp1AuthTest extends EdgeBatteryHttp1Table {
  private static final Outcome UNAUTHORIZED = refused(401, "unauthorized");
  private static final Outcome IDENTITY = served(identity("GET /app/admin/x HTTP/1.1"));
  /** A duplicated credential: refused, or served with the verified identity and no credential upstream. */
  private static final Outcome[] DUPLICATE = {IDENTITY, refused(400, "invalid_header"), UNAUTHORIZED};
  private static final Outcome KEY = served(Seen.request("GET /key/x HTTP/1.1").without("X-API-Key"));
  private static final Outcome[] DUPLICATE_KEY = {KEY, refused(400, "invalid_header"), UNAUTHORIZED};

  static final List<EdgeCase> CASES = List.of(
      row("bearer-valid", get("/app/admin/x", "Authorization: Bearer {jwt}", "Accept: application/json",
          "X-Custom: kept"), served(identity("GET /app/admin/x HTTP/1.1").with("Accept", "application/json")
          .with("X-Custom", "kept").with("X-Forwarded-For", EdgeBattery.CLIENT))),
      row("bearer-scheme-lower-case", admin("Authorization: bearer {jwt}"), IDENTITY),
      row("bearer-scheme-upper-case", admin("Authorization: BEARER {jwt}"), IDENTITY),
      row("bearer-extra-spaces", admin("Authorization: Bearer   {jwt}"), IDENTITY),
      row("bearer-without-space", admin("Authorization: Bearer{jwt}"), UNAUTHORIZED),
      row("basic-scheme", admin("Authorization: Basic YWxpY2U6c2VjcmV0"), UNAUTHORIZED),
      row("token-missing", admin(), UNAUTHORIZED),
      row("token-garbage", admin("Authorization: Bearer not.a.token"), UNAUTHORIZED),
      row("authorization-twice-valid-first", admin("Authorization: Bearer {jwt}", "Authorization: Bearer not.a.token"),
          DUPLICATE),
      row("authorization-twice-valid-second", admin("Authorization: Bearer not.a.token", "Authorization: Bearer {jwt}"),
          DUPLICATE),
      row("authorization-obs-fold-joined", admin("Authorization: Bearer", " {jwt}"), IDENTITY),
      row("bearer-in-query-on-header-route", get("/app/admin/x?access_token={jwt}"), UNAUTHORIZED),
      row("query-token-valid", get("/qt/x?access_token={query-jwt}&v=2"),
          served(Seen.request("GET /qt/x?v=2 HTTP/1.1").with("X-User-Id", EdgeBattery.SUBJECT))),
      row("query-token-after-semicolon", get("/qt/x?v=1;access_token={query-jwt}"), UNAUTHORIZED),
      row("query-token-twice-garbage-first", get("/qt/x?access_token=not.a.token&access_token={query-jwt}"),
          served(Seen.request("GET /qt/x HTTP/1.1").with("X-User-Id", EdgeBattery.SUBJECT)), UNAUTHORIZED),
      row("api-key-valid", get("/key/x", "X-API-Key: {api-key}"), KEY),
      row("api-key-query-valid", get("/key/x?a=1&apikey={api-key}&b=2"),
          served(Seen.request("GET /key/x?a=1&b=2 HTTP/1.1"))),
      row("api-key-query-after-semicolon", get("/key/x?a=1;apikey={api-key}"), UNAUTHORIZED),
      row("api-key-twice-valid-first", get("/key/x", "X-API-Key: {api-key}", "X-API-Key: gg_bogus"), DUPLICATE_KEY),
      row("api-key-twice-bogus-first", get("/key/x", "X-API-Key: gg_bogus", "X-API-Key: {api-key}"), DUPLICATE_KEY),
      row("identity-headers-spoofed", admin("Authorization: Bearer {jwt}", "X-User-Id: admin", "X-User-Roles: root"),
          IDENTITY),
      row("identity-header-spoofed-lower-case", admin("Authorization: Bearer {jwt}", "x-user-id: admin"), IDENTITY),
      row("identity-header-spoofed-twice", admin("X-User-Id: admin", "Authorization: Bearer {jwt}", "X-User-Id: root"),
          IDENTITY),
      row("identity-header-spoofed-without-token", admin("X-User-Id: alice"), UNAUTHORIZED));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  /** {@code GET /app/admin/x} with {@code headerLines}. */
  private static String admin(String... headerLines) {
    return get("/app/admin/x", headerLines);
  }

  /** {@code requestLine} carrying the verified identity of {@code {jwt}} and no credential. */
  private static Seen identity(String requestLine) {
    return Seen.request(requestLine).with("X-User-Id", EdgeBattery.SUBJECT).with("X-User-Roles", EdgeBattery.ROLES)
        .without("Authorization");
  }
}
