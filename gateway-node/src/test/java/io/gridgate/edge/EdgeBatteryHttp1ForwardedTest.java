package io.gridgate.edge;

import static io.gridgate.edge.EdgeBattery.CLIENT;
import static io.gridgate.edge.EdgeBattery.TRUSTED_PROXY;
import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.get;
import static io.gridgate.edge.EdgeRequests.postWithLength;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Forwarded-address spoofing and hop-by-hop abuse. From an untrusted peer, X-Forwarded-* are
 * replaced and Forwarded/X-Real-IP/X-Client-IP dropped; from the trusted proxy
 * ({@value EdgeBattery#TRUSTED_PROXY}) several X-Forwarded-For lines are one list whose right-most
 * untrusted entry is the client, so allow ({@code /app/internal}: 10.0.0.0/8) and deny
 * ({@code /deny}: 203.0.113.0/24) lists hold. Headers a client names in {@code Connection} are not
 * forwarded, but naming the gateway's own headers neither removes what the gateway writes nor
 * changes whom it authenticates or lets in.
 */
class EdgeBatteryHttp1ForwardedTest extends EdgeBatteryHttp1Table {
  private static final Outcome DENIED = refused(403, "address_denied");
  private static final String APPENDED = "X-Forwarded-For: 203.0.113.9";

  static final List<EdgeCase> CASES = List.of(
      row("xff-untrusted-replaced", get("/app/x", "X-Forwarded-For: 10.0.0.5"), forwardedFor("/app/x", CLIENT)),
      row("xff-untrusted-two-lines-replaced", get("/app/x", "X-Forwarded-For: 10.0.0.5", APPENDED),
          forwardedFor("/app/x", CLIENT)),
      row("xff-untrusted-on-allow-list", get("/app/internal/x", "X-Forwarded-For: 10.0.0.5"), DENIED),
      row("forwarded-untrusted-dropped", get("/app/x", "Forwarded: for=10.0.0.5;proto=https", "X-Real-IP: 10.0.0.5",
          "X-Client-IP: 10.0.0.5"), served(Seen.request("GET /app/x HTTP/1.1").with("X-Forwarded-For", CLIENT)
          .without("Forwarded", "X-Real-IP", "X-Client-IP"))),
      row("forwarded-untrusted-on-allow-list", get("/app/internal/x", "Forwarded: for=10.0.0.5", "X-Real-IP: 10.0.0.5"),
          DENIED),
      row("proto-and-host-untrusted-replaced", get("/app/x", "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.test"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Forwarded-Proto", "http").with("X-Forwarded-Host", "gw.test"))),
      row("xff-trusted-allow-list", get("/app/internal/x", "X-Forwarded-For: 10.0.0.5"),
          forwardedFor("/app/internal/x", "10.0.0.5, " + TRUSTED_PROXY)).from(TRUSTED_PROXY),
      row("xff-trusted-appended-line-allow-list", get("/app/internal/x", "X-Forwarded-For: 10.0.0.5", APPENDED),
          DENIED).from(TRUSTED_PROXY),
      row("xff-trusted-appended-line-deny-list", get("/deny/x", "X-Forwarded-For: 10.0.0.5", APPENDED),
          DENIED).from(TRUSTED_PROXY),
      row("xff-trusted-appended-line-chain-forwarded", get("/app/x", "X-Forwarded-For: 10.0.0.5", APPENDED),
          forwardedFor("/app/x", "10.0.0.5, 203.0.113.9, " + TRUSTED_PROXY)).from(TRUSTED_PROXY),
      row("xff-trusted-skips-trusted-hops", get("/deny/x", "X-Forwarded-For: 203.0.113.9, " + TRUSTED_PROXY),
          DENIED).from(TRUSTED_PROXY),
      row("xff-trusted-garbage-entry-chosen", get("/app/internal/x", "X-Forwarded-For: 10.0.0.5, not-an-address"),
          DENIED).from(TRUSTED_PROXY),
      row("xff-trusted-not-on-deny-list", get("/deny/x", "X-Forwarded-For: 198.51.100.7"),
          forwardedFor("/deny/x", "198.51.100.7, " + TRUSTED_PROXY)).from(TRUSTED_PROXY),
      row("proto-trusted-kept", get("/app/x", "X-Forwarded-Proto: https"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Forwarded-Proto", "https"))).from(TRUSTED_PROXY),
      row("xff-obs-fold-joined", get("/deny/x", "X-Forwarded-For: 10.0.0.5,", " 203.0.113.9"), DENIED).from(TRUSTED_PROXY),
      row("connection-close-honoured", get("/app/x", "Connection: close"),
          served(Seen.request("GET /app/x HTTP/1.1")).closing()),
      row("connection-close-on-refusal", get("/app/admin/x", "Connection: close"), refused(401, "unauthorized").closing()),
      row("connection-names-custom-header", get("/app/x", "Connection: X-Foo", "X-Foo: bar"),
          served(Seen.request("GET /app/x HTTP/1.1").without("X-Foo", "Connection"))),
      row("connection-names-authorization", get("/app/admin/x", "Connection: Authorization", "Authorization: Bearer {jwt}"),
          served(identity()), refused(401, "unauthorized")),
      row("connection-names-identity-header", get("/app/admin/x", "Connection: X-User-Id",
          "Authorization: Bearer {jwt}", "X-User-Id: admin"), served(identity())),
      row("connection-names-xff-untrusted", get("/app/x", "Connection: X-Forwarded-For", "X-Forwarded-For: 10.0.0.5"),
          forwardedFor("/app/x", CLIENT)),
      row("connection-names-xff-trusted-deny-list", get("/deny/x", "Connection: X-Forwarded-For", APPENDED),
          DENIED).from(TRUSTED_PROXY),
      row("connection-names-content-length", postWithLength("/app/x", "hello", "Connection: Content-Length"),
          served(Seen.request("POST /app/x HTTP/1.1").body("hello"))),
      row("connection-names-host", get("/app/x", "Connection: Host"), served(Seen.request("GET /app/x HTTP/1.1"))),
      row("hop-by-hop-headers-dropped", get("/app/x", "Proxy-Authorization: Basic eDp5", "Proxy-Connection: keep-alive",
          "Keep-Alive: timeout=5", "TE: trailers", "Upgrade: websocket"), served(Seen.request("GET /app/x HTTP/1.1")
          .without("Proxy-Authorization", "Proxy-Connection", "Keep-Alive", "TE", "Upgrade"))));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  /** {@code GET target} served with exactly one X-Forwarded-For line, {@code chain}. */
  private static Outcome forwardedFor(String target, String chain) {
    return served(Seen.request("GET " + target + " HTTP/1.1").with("X-Forwarded-For", chain));
  }

  private static Seen identity() {
    return Seen.request("GET /app/admin/x HTTP/1.1").with("X-User-Id", EdgeBattery.SUBJECT).without("Authorization");
  }
}
