package io.gridgate.security.auth;

import io.gridgate.security.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a JWT against the issuers a route trusts: the issuer is chosen by the token's
 * {@code iss}, its algorithm must be one the issuer allows (never {@code none}), then vertx-auth-jwt
 * checks the signature with that issuer's keys, and iss, aud, exp, nbf and iat with its clock skew.
 */
final class JwtVerifier {
  private final Map<String, IssuerKeys> byIss = new HashMap<>();

  JwtVerifier(List<IssuerKeys> issuers) {
    issuers.forEach(keys -> byIss.putIfAbsent(keys.spec().issuer(), keys));
  }

  /** The identity the token proves, or a failure with {@link InvalidToken}. */
  Future<Identity> verify(String token) {
    JwtParts parts;
    try {
      parts = JwtParts.parse(token);
    } catch (InvalidToken e) {
      return Future.failedFuture(e);
    }
    Object alg = parts.header().getValue("alg");
    Object iss = parts.payload().getValue("iss");
    IssuerKeys issuer = iss instanceof String s ? byIss.get(s) : null;
    if (issuer == null) {
      return Future.failedFuture(new InvalidToken("untrusted issuer"));
    }
    if (!(alg instanceof String) || !issuer.spec().algorithms().contains(alg)) {
      return Future.failedFuture(new InvalidToken("algorithm not accepted"));
    }
    Object kid = parts.header().getValue("kid");
    return issuer.keysFor(kid instanceof String s ? s : null).compose(keys -> {
      if (keys.size() == 0) {
        return Future.failedFuture(new InvalidToken("no keys available for the issuer"));
      }
      return keys.auth().authenticate(new TokenCredentials(token)).transform(ar -> ar.succeeded()
          ? Future.succeededFuture(Claims.identity(parts.payload(), issuer.spec().rolesClaim(), Identity.Credential.JWT))
          : Future.failedFuture(new InvalidToken(reason(ar.cause(), parts.payload(), keys, kid))));
    });
  }

  /** What to tell the client about a token vertx-auth-jwt refused. */
  private static String reason(Throwable failure, JsonObject payload, KeySet keys, Object kid) {
    String message = String.valueOf(failure.getMessage());
    if (message.contains("audience")) {
      return "audience not accepted";
    }
    if (message.contains("issuer")) {
      return "untrusted issuer";
    }
    if (message.contains("expired")) {
      Object exp = payload.getValue("exp");
      boolean past = exp instanceof Number n && n.longValue() * 1000 <= System.currentTimeMillis();
      return past ? "token expired" : "token not yet valid";
    }
    if (kid instanceof String s && !keys.kids().contains(s)) {
      return "unknown key id";
    }
    return "invalid signature";
  }
}
