package io.gridgate.proxy;

import io.gridgate.security.Refusal;

/**
 * The request-target rules (RFC 9112 3.2, RFC 9113 8.3.1): origin-form ({@code /path?query}), or
 * over HTTP/1.x absolute-form with an {@code http} or {@code https} scheme and a valid authority
 * without userinfo; never {@code *}. No raw control byte, space, DEL, byte above 0x7F or {@code #}
 * (a fragment is never sent by a client) anywhere in it, query included.
 */
final class RequestTarget {
  private static final Refusal NOT_A_TARGET = Refusal.of(400, "invalid_request_target",
      "the request-target must be an absolute path (origin-form) or an http(s) URI (absolute-form)");
  private static final Refusal FORBIDDEN_BYTE = Refusal.of(400, "invalid_request_target",
      "the request-target contains a control character, space, DEL, non-ASCII byte or '#'");

  private RequestTarget() {}

  /** Why {@code target} is refused, or null when it is acceptable; {@code absoluteFormAllowed} for HTTP/1.x. */
  static Refusal check(String target, boolean absoluteFormAllowed) {
    if (target == null || target.isEmpty()) {
      return NOT_A_TARGET;
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '#') {
        return FORBIDDEN_BYTE;
      }
    }
    if (target.charAt(0) == '/') {
      return null;
    }
    if (!absoluteFormAllowed) {
      return NOT_A_TARGET;
    }
    String authority = authority(target);
    return authority != null && HostRules.isValid(authority) ? null : NOT_A_TARGET;
  }

  /**
   * The authority of an absolute-form {@code target} ({@code http://host:port/path} → {@code host:port}),
   * or null when it is not an {@code http}/{@code https} URI; for origin-form targets, null.
   */
  static String authority(String target) {
    int start;
    if (target.regionMatches(true, 0, "http://", 0, 7)) {
      start = 7;
    } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
      start = 8;
    } else {
      return null;
    }
    int end = start;
    while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
      end++;
    }
    return target.substring(start, end);
  }
}
