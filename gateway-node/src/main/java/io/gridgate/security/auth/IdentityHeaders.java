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
  private final Map<String, String> headerByClaim;

  IdentityHeaders(Map<String, String> headerByClaim) {
    this.headerByClaim = Map.copyOf(headerByClaim);
  }

  void removeClientCopies(PolicyContext context) {
    headerByClaim.values().forEach(header -> context.removeUpstream(header.toLowerCase(Locale.ROOT)));
  }

  void write(PolicyContext context, Identity identity) {
    headerByClaim.forEach((claim, header) -> {
      String value = switch (claim) {
        case "sub" -> identity.subject();
        case "roles" -> identity.roles().isEmpty() ? null : String.join(",", identity.roles());
        case "scope" -> identity.scopes().isEmpty() ? null : String.join(" ", identity.scopes());
        default -> Claims.headerValue(identity.claims(), claim);
      };
      if (value != null && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
        context.setUpstream(header, value);
      }
    });
  }
}
