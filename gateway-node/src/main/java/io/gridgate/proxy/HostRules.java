package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.security.Refusal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;

/**
 * Host rules (RFC 9112 3.2 and 3.2.2, RFC 3986 3.2.2): an HTTP/1.1 request needs a Host, any Host
 * must be a valid {@code host[:port]}, and the authority of an absolute-form target wins over the
 * Host header (which is set to it, so routing, {@code host_header: preserve}, X-Forwarded-Host and the
 * cache all see one authority). An HTTP/2 request needs {@code :authority} or {@code host}; their
 * syntax is checked before Vert.x reads them ({@link Http2RequestHeadGuard}). Repeated Host lines
 * are refused by {@link HeaderRules}.
 */
final class HostRules {
  static final Refusal MISSING = Refusal.of(400, "missing_host", "the request has no Host");
  static final Refusal INVALID = Refusal.of(400, "invalid_host", "the Host is not a valid host[:port]");

  private HostRules() {}

  /** Why the request's authority is refused, or null when it is acceptable. */
  static Refusal check(ClientRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return request.authority() == null ? MISSING : null;
    }
    String host = request.getHeader(HttpHeaders.HOST);
    if (host == null) {
      if (request.version() == HttpVersion.HTTP_1_1) {
        return MISSING;
      }
    } else if (!isValid(host)) {
      return INVALID;
    }
    String target = request.uri();
    if (target.charAt(0) != '/') {
      String authority = RequestTarget.authority(target);
      if (!authority.equals(host)) {
        request.headers().set(HttpHeaders.HOST, authority);
      }
    }
    return null;
  }

  /** Whether {@code authority} is {@code host[:port]}: an IP literal or a non-empty reg-name, a port of 1 to 5 digits up to 65535. */
  static boolean isValid(String authority) {
    int length = authority.length();
    int i = length > 0 && authority.charAt(0) == '[' ? ipLiteralEnd(authority) : regNameEnd(authority);
    if (i <= 0) {
      return false;
    }
    if (i == length) {
      return true;
    }
    int digits = length - i - 1;
    if (authority.charAt(i) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int k = i + 1; k < length; k++) {
      char c = authority.charAt(k);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }

  /** The index after a {@code [v6 or IPv4-in-v6 address]}, or -1. */
  private static int ipLiteralEnd(String authority) {
    int close = authority.indexOf(']');
    if (close < 2) {
      return -1;
    }
    for (int i = 1; i < close; i++) {
      char c = authority.charAt(i);
      if (!(isHexDigit(c) || c == ':' || c == '.')) {
        return -1;
      }
    }
    return close + 1;
  }

  /** The index after a reg-name or IPv4 address (unreserved, sub-delims, percent-escapes), or -1 when there is none. */
  private static int regNameEnd(String authority) {
    int i = 0;
    while (i < authority.length()) {
      char c = authority.charAt(i);
      if (c == ':') {
        break;
      }
      if (isRegNameChar(c)) {
        i++;
      } else if (c == '%' && i + 2 < authority.length() && isHexDigit(authority.charAt(i + 1))
          && isHexDigit(authority.charAt(i + 2))) {
        i += 3;
      } else {
        return -1;
      }
    }
    return i == 0 ? -1 : i;
  }

  private static boolean isRegNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=".indexOf(c) >= 0;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
