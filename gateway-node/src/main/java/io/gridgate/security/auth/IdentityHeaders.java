package io.gridgate.security.auth;

import io.gridgate.security.Identity;
import io.gridgate.security.PolicyContext;
import java.util.Locale;
import java.util.Map;

/**
 * The identity headers a route sends upstream (header name by claim name): client copies are
 * always removed, then {@code sub}, {@code roles} (comma-joined), {@code scope} (space-joined) or
 * any other claim is set. A value with control characters is left out rather than forwarded.
 */
final class IdentityHeaders {
  /** Parallel arrays, one slot per header: the claim, the header's name, and that name in lower case. */
  private final String[] claims;
  private final String[] headers;
  private final String[] lowerCaseHeaders;

  IdentityHeaders(Map<String, String> headerByClaim) {
    this.claims = headerByClaim.keySet().toArray(String[]::new);
    this.headers = new String[claims.length];
    this.lowerCaseHeaders = new String[claims.length];
    for (int i = 0; i < claims.length; i++) {
      headers[i] = headerByClaim.get(claims[i]);
      lowerCaseHeaders[i] = headers[i].toLowerCase(Locale.ROOT);
    }
  }

  void removeClientCopies(PolicyContext context) {
    for (String header : lowerCaseHeaders) {
      context.removeUpstream(header);
    }
  }

  void write(PolicyContext context, Identity identity) {
    for (int i = 0; i < claims.length; i++) {
      String value = switch (claims[i]) {
        case "sub" -> identity.subject();
        case "roles" -> identity.roles().isEmpty() ? null : String.join(",", identity.roles());
        case "scope" -> identity.scopes().isEmpty() ? null : String.join(" ", identity.scopes());
        default -> Claims.headerValue(identity.claims(), claims[i]);
      };
      if (value != null && !hasControlCharacter(value)) {
        context.setUpstream(headers[i], value);
      }
    }
  }

  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
