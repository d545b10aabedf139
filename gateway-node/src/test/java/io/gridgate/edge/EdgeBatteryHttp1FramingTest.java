package io.gridgate.edge;

import static io.gridgate.edge.EdgeCase.Outcome.malformed;
import static io.gridgate.edge.EdgeCase.Outcome.refused;
import static io.gridgate.edge.EdgeCase.Outcome.served;
import static io.gridgate.edge.EdgeCase.row;
import static io.gridgate.edge.EdgeRequests.HOST;
import static io.gridgate.edge.EdgeRequests.SMUGGLED;
import static io.gridgate.edge.EdgeRequests.head;
import static io.gridgate.edge.EdgeRequests.post;

import java.util.List;

/**
 * Message framing: Content-Length and Transfer-Encoding variants, chunk-size and chunk-line abuse.
 * A request whose body length is ambiguous is refused with 400 and the connection closed, and
 * nothing reaches the upstream (no request, and never one hidden in a body); a well-formed body
 * reaches it byte for byte.
 */
class EdgeBatteryHttp1FramingTest extends EdgeBatteryHttp1Table {
  private static final String HELLO_CHUNKED = "5\r\nhello\r\n0\r\n\r\n";
  private static final String FAKE_END = "0\r\n\r\n" + SMUGGLED;
  private static final EdgeCase.Outcome BAD_LENGTH = refused(400, "bad_request", "invalid_content_length").closing();
  private static final EdgeCase.Outcome BAD_CODING = refused(400, "bad_request", "invalid_transfer_encoding").closing();
  private static final EdgeCase.Outcome HELLO = served(EdgeCase.Seen.request("POST /app/x HTTP/1.1").body("hello"));

  static final List<EdgeCase> CASES = List.of(
      row("cl-then-te", post("/app/x", "0\r\n\r\n" + SMUGGLED, "Content-Length: 4", "Transfer-Encoding: chunked"),
          malformed()),
      row("te-then-cl", post("/app/x", HELLO_CHUNKED + SMUGGLED, "Transfer-Encoding: chunked", "Content-Length: 3"),
          malformed()),
      row("cl-duplicate-equal", post("/app/x", "hello", "Content-Length: 5", "Content-Length: 5"), BAD_LENGTH),
      row("cl-duplicate-differing", post("/app/x", "hello" + SMUGGLED, "Content-Length: 5", "Content-Length: 49"),
          BAD_LENGTH),
      row("cl-list-equal", post("/app/x", "hello", "Content-Length: 5, 5"), BAD_LENGTH),
      row("cl-list-differing", post("/app/x", "hello", "Content-Length: 5, 6"), BAD_LENGTH),
      row("cl-plus-sign", post("/app/x", "hello", "Content-Length: +5"), BAD_LENGTH),
      row("cl-minus-sign", post("/app/x", "hello", "Content-Length: -5"), BAD_LENGTH),
      row("cl-inner-space", post("/app/x", "hello", "Content-Length: 0 5"), BAD_LENGTH),
      row("cl-hex", post("/app/x", "hello", "Content-Length: 0x5"), BAD_LENGTH),
      row("cl-decimal-point", post("/app/x", "hello", "Content-Length: 5.0"), BAD_LENGTH),
      row("cl-overflow", post("/app/x", "hello", "Content-Length: 18446744073709551621"), BAD_LENGTH),
      row("cl-empty", post("/app/x", "hello", "Content-Length: "), BAD_LENGTH),
      row("cl-padded-with-ows", post("/app/x", "hello", "Content-Length: \t 5 \t"), HELLO),
      row("cl-leading-zeros", post("/app/x", "hello", "Content-Length: 005"), HELLO),
      row("te-chunked-twice", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: chunked, chunked"), BAD_CODING),
      row("te-chunked-two-lines", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: chunked",
          "Transfer-Encoding: chunked"), BAD_CODING),
      row("te-gzip", post("/app/x", "hello", "Transfer-Encoding: gzip"), BAD_CODING),
      row("te-chunked-then-gzip", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: chunked, gzip"), BAD_CODING),
      row("te-gzip-then-chunked", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: gzip, chunked"), BAD_CODING),
      row("te-identity", post("/app/x", "hello", "Transfer-Encoding: identity", "Content-Length: 5"), BAD_CODING),
      row("te-unknown-coding", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: xchunked"), BAD_CODING),
      row("te-quoted", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: \"chunked\""), BAD_CODING),
      row("te-empty", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: "), BAD_CODING),
      row("te-vertical-tab", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: \u000bchunked"),
          refused(400, "bad_request", "invalid_header", "invalid_transfer_encoding").closing()),
      row("te-obs-fold-joined", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding:", " chunked"), HELLO),
      row("te-space-before-colon", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding : chunked"), malformed()),
      row("te-in-http-1.0", head("POST /app/x HTTP/1.0", HOST, "Transfer-Encoding: chunked") + HELLO_CHUNKED,
          malformed()),
      row("te-upper-case", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: CHUNKED"), HELLO),
      row("te-tab-before-value", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding:\tchunked"), HELLO),
      row("te-trailing-spaces", post("/app/x", HELLO_CHUNKED, "Transfer-Encoding: chunked  "), HELLO),
      row("chunk-ext-valid", chunked("5;name=\"value\"\r\nhello\r\n0\r\n\r\n"), HELLO),
      row("chunk-with-trailer", chunked("5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n"), HELLO),
      row("chunk-data-holds-fake-last-chunk", chunked(Integer.toHexString(FAKE_END.length()) + "\r\n" + FAKE_END
          + "\r\n0\r\n\r\n"), served(EdgeCase.Seen.request("POST /app/x HTTP/1.1").body(FAKE_END))),
      row("chunk-size-overflow", chunked("FFFFFFFFFFFFFFFFF5\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-size-negative", chunked("-5\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-size-hex-garbage", chunked("5g\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-size-0x-prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-size-empty", chunked("\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-size-leading-space", chunked(" 5\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-ext-bare-cr", chunked("5;a=b\rc\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-ext-bare-lf", chunked("5;a=b\nhello\r\n0\r\n\r\n" + SMUGGLED), malformed()),
      row("chunk-missing-crlf-after-data", chunked("5\r\nhello0\r\n\r\n"), malformed()),
      row("chunk-data-longer-than-size", chunked("3\r\nhello\r\n0\r\n\r\n"), malformed()),
      row("chunk-bare-cr-after-data", chunked("5\r\nhello\r0\r\n\r\n"), malformed()),
      row("chunk-lines-bare-lf", chunked("5\nhello\n0\n\n"), malformed()));

  @Override
  List<EdgeCase> cases() {
    return CASES;
  }

  private static String chunked(String body) {
    return EdgeRequests.postChunked("/app/x", body);
  }
}
