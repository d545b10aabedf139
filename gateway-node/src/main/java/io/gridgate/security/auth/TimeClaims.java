package io.gridgate.security.auth;

import io.vertx.core.json.JsonObject;

/**
 * Checks a JWT's exp, nbf and iat against the node's wall clock with the issuer's clock skew, by
 * vertx-auth-jwt's rules (whole seconds; expired once now - skew reaches exp, not yet valid while
 * nbf or iat is later than now + skew), which are switched off there so that the node's clock decides.
 */
final class TimeClaims {
  private TimeClaims() {}

  /** Why the token of {@code payload} is refused at {@code nowMillis}: "token expired", "token not yet valid", or null. */
  static String refusal(JsonObject payload, long nowMillis, long skewSeconds) {
    long now = nowMillis / 1000;
    Long exp = seconds(payload, "exp");
    Long nbf = seconds(payload, "nbf");
    Long iat = seconds(payload, "iat");
    boolean outside = exp != null && now - skewSeconds >= exp
        || iat != null && iat > now + skewSeconds
        || nbf != null && nbf > now + skewSeconds;
    if (!outside) {
      return null;
    }
    return exp != null && exp * 1000 <= nowMillis ? "token expired" : "token not yet valid";
  }

  /** The claim as whole seconds; null when absent (JwtParts has refused any that is not a number). */
  private static Long seconds(JsonObject payload, String claim) {
    return payload.getValue(claim) instanceof Number n ? n.longValue() : null;
  }
}
