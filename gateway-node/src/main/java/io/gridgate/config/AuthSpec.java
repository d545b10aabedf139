package io.gridgate.config;

import java.util.List;
import java.util.Map;

/**
 * A route's authentication: the JWT issuers it trusts (empty for none), the OAuth2 server that
 * introspects its tokens (null for none), consumers' API keys (null for none), whether the
 * credential is passed upstream, and the identity headers set for the upstream (header name by
 * claim name). A credential verified by any configured method is accepted.
 */
public record AuthSpec(List<String> jwtIssuers, String oauth2Server, ApiKeySpec apiKey, boolean passCredential,
                       Map<String, String> identityHeaders) {
  public AuthSpec {
    jwtIssuers = List.copyOf(jwtIssuers);
    identityHeaders = Map.copyOf(identityHeaders);
  }

  /** True when the route takes bearer tokens (JWT or introspected). */
  public boolean hasTokens() {
    return !jwtIssuers.isEmpty() || oauth2Server != null;
  }

  /** API keys of registered consumers, read from a header or a query parameter (null when not read from it). */
  public record ApiKeySpec(String header, String query) {}
}
