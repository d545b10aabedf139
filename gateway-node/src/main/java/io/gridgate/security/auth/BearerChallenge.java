package io.gridgate.security.auth;

import io.gridgate.security.Refusal;
import java.util.Map;

/** The 401 answers of RFC 6750: a {@code WWW-Authenticate: Bearer} challenge and a JSON body with error {@code unauthorized}. */
final class BearerChallenge {
  private static final String REALM = "Bearer realm=\"gridgate\"";

  private BearerChallenge() {}

  static Refusal missing() {
    return new Refusal(401, "unauthorized", "a bearer token is required", Map.of("WWW-Authenticate", REALM));
  }

  static Refusal invalid(String description) {
    String challenge = REALM + ", error=\"invalid_token\", error_description=\"" + description.replace('"', '\'') + "\"";
    return new Refusal(401, "unauthorized", description, Map.of("WWW-Authenticate", challenge));
  }
}
