package io.gridgate.security.auth;

import io.gridgate.config.TokenLocation;
import io.gridgate.http.ClientRequest;
import io.gridgate.security.PolicyContext;
import io.gridgate.transform.QueryParameters;
import io.vertx.core.http.Cookie;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Reads a token from where a request carries it (a query parameter as {@link QueryParameters}
 * reads it), and removes it from the upstream request.
 */
final class TokenSource {
  private static final String BEARER = "bearer ";
  private final TokenLocation location;
  private final String lowerCaseName;

  TokenSource(TokenLocation location) {
    this.location = location;
    this.lowerCaseName = location.name().toLowerCase(Locale.ROOT);
  }

  TokenLocation location() {
    return location;
  }

  /** The token, or null when the request carries none there. */
  String read(ClientRequest request) {
    String value = switch (location.source()) {
      case HEADER -> request.getHeader(location.name());
      case QUERY -> QueryParameters.value(request.query(), location.name());
      case COOKIE -> {
        Cookie cookie = request.getCookie(location.name());
        yield cookie == null ? null : cookie.getValue();
      }
    };
    if (value != null && location.isBearer()) {
      value = value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()) : null;
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Keeps the credential from reaching the upstream. */
  void strip(PolicyContext context) {
    switch (location.source()) {
      case HEADER -> context.removeUpstream(lowerCaseName);
      case QUERY -> context.removeQueryParameter(location.name());
      case COOKIE -> stripCookie(context);
    }
  }

  private void stripCookie(PolicyContext context) {
    StringJoiner kept = new StringJoiner("; ");
    for (String header : context.request().headers().getAll("cookie")) {
      for (String pair : header.split(";")) {
        String trimmed = pair.trim();
        int eq = trimmed.indexOf('=');
        if (!trimmed.isEmpty() && !(eq > 0 ? trimmed.substring(0, eq) : trimmed).equals(location.name())) {
          kept.add(trimmed);
        }
      }
    }
    context.removeUpstream("cookie");
    if (kept.length() > 0) {
      context.setUpstream("Cookie", kept.toString());
    }
  }
}
