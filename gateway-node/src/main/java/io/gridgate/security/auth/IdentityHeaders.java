package io.gridgate.security.auth;

import io.gridgate.security.Identity;
import io.gridgate.security.PolicyContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The identity headers a route sends upstream (header name by claim name): client copies are
 * always removed, then {@code sub}, {@code roles} (comma-joined), {@code scope} (space-joined) or
 * any other claim is set. A value with control characters is left out rather than forwarded.
 */
final class IdentityHeaders {
  private final Map<String, String> headerByClaim;
  private final List<String> lowerCaseHeaders;

  IdentityHeaders(Map<String, String> headerByClaim) {
    this.headerByClaim = Map.copyOf(headerByClaim);
    this.lowerCaseHeaders = this.headerByClaim.values().stream().map(header -> header.toLowerCase(Locale.ROOT)).toList();
  }

  void removeClientCopies(PolicyContext context) {
    lowerCaseHeaders.forEach(context::removeUpstream);
  }

  void write(PolicyContext context, Identity identity) {
    headerByClaim.forEach((claim, header) -> {
      String value = switch (claim) {
        case "sub" -> identity.subject();
        case "roles" -> identity.roles().isEmpty() ? null : String.join(",", identity.roles());
        case "scope" -> identity.scopes().isEmpty() ? null : String.join(" ", identity.scopes());
        default -> Claims.headerValue(identity.claims(), claim);
      };
      if (value != null && !hasControlCharacter(value)) {
        context.setUpstream(header, value);
      }
    });
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
