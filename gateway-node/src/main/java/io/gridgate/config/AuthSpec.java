package io.gridgate.config;

import java.util.List;
import java.util.Map;

/**
 * A route's authentication: the JWT issuers it trusts (empty for none), the OAuth2 server that
 * introspects its tokens (null for none), whether the credential is passed upstream, and the
 * identity headers set for the upstream (header name by claim name). A token verified by any
 * configured method is accepted; API keys join as a further component.
 */
public record AuthSpec(List<String> jwtIssuers, String oauth2Server, boolean passCredential,
                       Map<String, String> identityHeaders) {
  public AuthSpec {
    jwtIssuers = List.copyOf(jwtIssuers);
    identityHeaders = Map.copyOf(identityHeaders);
  }
}
