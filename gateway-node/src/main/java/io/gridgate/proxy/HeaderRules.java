package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.security.Refusal;
import io.vertx.core.http.HttpVersion;

/**
 * The header rules Netty's decoders leave to the gateway, in one pass over the request's headers.
 * HTTP/1.x (Netty refuses names that are not tokens and values with control bytes or DEL, joins an
 * obs-fold to the line before with one SP, trims values, and refuses a Transfer-Encoding whose final
 * coding is not chunked): an empty name, more than one Host line, and a Transfer-Encoding with any
 * coding besides its final {@code chunked} (RFC 9112 6.1: the gateway implements no other coding).
 * HTTP/2 (Netty's HPACK decoder refuses names that are not lower-case tokens, values with control
 * bytes or DEL or leading whitespace, connection-specific headers and a {@code te} other than
 * {@code trailers}): a value ending in whitespace.
 */
final class HeaderRules {
  private static final Refusal EMPTY_NAME = Refusal.of(400, "invalid_header", "a header has an empty name");
  private static final Refusal TWO_HOSTS = Refusal.of(400, "invalid_host", "the request has more than one Host");
  private static final Refusal CODINGS = Refusal.of(400, "invalid_transfer_encoding",
      "Transfer-Encoding may only be chunked");

  private HeaderRules() {}

  /** Why the request's headers are refused, or null when they are acceptable. */
  static Refusal check(ClientRequest request) {
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    int hosts = 0;
    for (var header : request.headers()) {
      String name = header.getKey();
      if (http2) {
        String value = header.getValue();
        char last = value.isEmpty() ? 'x' : value.charAt(value.length() - 1);
        if (last == ' ' || last == '\t') {
          return Refusal.of(400, "invalid_header", "the value of header '" + name + "' ends in whitespace");
        }
      } else if (name.isEmpty()) {
        return EMPTY_NAME;
      } else if (name.length() == 4 && name.equalsIgnoreCase("host") && ++hosts > 1) {
        return TWO_HOSTS;
      } else if (name.length() == 17 && name.equalsIgnoreCase("transfer-encoding")
          && !header.getValue().trim().equalsIgnoreCase("chunked")) {
        return CODINGS;
      }
    }
    return null;
  }
}
