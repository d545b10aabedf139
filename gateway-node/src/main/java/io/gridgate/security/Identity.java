package io.gridgate.security;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Who a request is once a credential was verified: the consumer (null when the credential names
 * none, such as a JWT whose subject is not a registered consumer), the subject, the consumer's
 * groups, the scopes and roles granted, the verified claims, and how it was proven.
 */
public record Identity(String consumer, String subject, Set<String> groups, Set<String> scopes, Set<String> roles,
                       JsonObject claims, Credential credential) {
  public Identity {
    groups = Set.copyOf(groups);
    scopes = Set.copyOf(scopes);
    roles = Set.copyOf(roles);
    claims = claims == null ? new JsonObject() : claims;
  }

  /** How an identity was proven. */
  public enum Credential { JWT, OAUTH2, API_KEY, CLIENT_CERTIFICATE }
}
