package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.malformedOr;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.get;
import static io.gridgate.edge.EdgeRequests.head;

import io.gridgate.edge.EdgeCase.Outcome;
import io.gridgate.edge.EdgeCase.Seen;
import java.util.List;

/**
 * Header syntax and injection: whitespace before the colon, bare CR, control bytes and DEL in names
 * and values are refused before anything reaches the upstream; obs-fold is joined to the line before
 * with one SP (RFC 9112 5.2) and reaches the upstream as one line; HTAB and obs-text
 * (bytes 0x80-0xFF) in values are legal and forwarded byte for byte.
 */
class EdgeBatteryHttp1HeaderSyntaxTest extends EdgeBatteryHttp1Table {
  private static final Outcome[] BAD_HEADER = malformedOr("invalid_header");
  /** RFC 9112 5.2 lets a server replace obs-fold with SP instead of refusing it: the upstream gets one line. */
  private static final Outcome FOLD_JOINED = served(Seen.request("GET /app/x HTTP/1.1").with("X-Note", "a b"));

  static final List<EdgeCase> CASES = List.of(
      row("obs-fold-joined", get("/app/x", "X-Note: a", " b"), FOLD_JOINED),
      row("obs-fold-tab-joined", get("/app/x", "X-Note: a", "\tb"), FOLD_JOINED),
      row("whitespace-before-first-header", head("GET /app/x HTTP/1.1", " X-Note: a", HOST), malformed()),
      row("space-before-colon", get("/app/x", "X-Note : a"), malformed()),
      row("tab-before-colon", get("/app/x", "X-Note\t: a"), malformed()),
      row("bare-cr-line-ending", "GET /app/x HTTP/1.1\rHost: gw.test\r\n\r\n", malformed()),
      row("empty-header-name", get("/app/x", ": a"), BAD_HEADER),
      row("pseudo-header-name", get("/app/x", ":path: /app/admin"), BAD_HEADER),
      row("header-without-colon", get("/app/x", "X-Note"), BAD_HEADER),
      row("space-in-name", get("/app/x", "X Note: a"), BAD_HEADER),
      row("separator-in-name", get("/app/x", "X(Note): a"), BAD_HEADER),
      row("nul-in-name", get("/app/x", "X-N\0ote: a"), BAD_HEADER),
      row("cr-in-name", get("/app/x", "X-N\rote: a"), BAD_HEADER),
      row("lf-in-name", get("/app/x", "X-N\note: a"), malformed()),
      row("del-in-name", get("/app/x", "X-N\u007fote: a"), BAD_HEADER),
      row("latin1-byte-in-name", get("/app/x", "X-N\u00e9te: a"), BAD_HEADER),
      row("nul-in-value", get("/app/x", "X-Note: a\0b"), BAD_HEADER),
      row("bare-cr-in-value", get("/app/x", "X-Note: a\rInjected: b"), BAD_HEADER),
      row("bare-lf-in-value", get("/app/x", "X-Note: a\nInjected: b"), malformed()),
      row("vertical-tab-in-value", get("/app/x", "X-Note: a\u000bb"), BAD_HEADER),
      row("form-feed-in-value", get("/app/x", "X-Note: a\u000cb"), BAD_HEADER),
      row("escape-in-value", get("/app/x", "X-Note: a\u001b[2Jb"), BAD_HEADER),
      row("del-in-value", get("/app/x", "X-Note: a\u007fb"), BAD_HEADER),
      row("bare-lf-line-endings", "GET /app/x HTTP/1.1\nHost: gw.test\nX-Note: a\n\n", malformed()),
      row("tab-in-value", get("/app/x", "X-Note: a\tb"), served(Seen.request("GET /app/x HTTP/1.1").with("X-Note", "a\tb"))),
      row("latin1-byte-in-value", get("/app/x", "X-Note: caf\u00e9"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Note", "caf\u00e9"))),
      row("utf8-bytes-in-value", get("/app/x", "X-Note: caf\u00c3\u00a9"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Note", "caf\u00c3\u00a9"))),
      row("encoded-crlf-in-value", get("/app/x", "X-Note: a%0d%0aX-Injected: 1"),
          served(Seen.request("GET /app/x HTTP/1.1").with("X-Note", "a%0d%0aX-Injected: 1").without("X-Injected"))));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }
}
