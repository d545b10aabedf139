package io.gridgate.security.auth;

import io.gridgate.clock.NodeClock;
import io.gridgate.security.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifies a JWT against the issuers a route trusts: a {@code crit} header and registered claims of
 * the wrong type are refused first ({@link JwtParts#requireSupported}), the issuer is chosen by the
 * token's {@code iss}, its algorithm must be one the issuer allows (never {@code none}), then
 * vertx-auth-jwt checks the signature with that issuer's keys, and iss and aud; exp, nbf and iat are
 * checked last, with the issuer's clock skew, on the node's clock ({@link TimeClaims}). Every refusal
 * is an {@link InvalidToken} (a 401). Verified tokens are remembered for a short while.
 */
final class JwtVerifier {
  private static final Logger LOG = Logger.getLogger(JwtVerifier.class.getName());
  /** A verified token is trusted again without verification for at most this long (never past its exp). */
  static final long VERIFIED_TTL_NANOS = 30_000_000_000L;
  private static final int VERIFIED_MAX = 10_000;
  private final Map<String, IssuerKeys> byIss = new HashMap<>();
  private final TokenCache<Identity> verified;
  private final NodeClock clock;

  JwtVerifier(List<IssuerKeys> issuers, NodeClock clock) {
    this.clock = clock;
    this.verified = new TokenCache<>(VERIFIED_MAX, clock.nanos());
    issuers.forEach(keys -> byIss.putIfAbsent(keys.spec().issuer(), keys));
  }

  /**
   * The identity the token proves, or a failure with {@link InvalidToken}. A token verified in the
   * last {@link #VERIFIED_TTL_NANOS} (and not expired) is answered from memory: parsing and the
   * signature check are most of a JWT's cost. Revocation is checked on every request elsewhere.
   */
  Future<Identity> verify(String token) {
    TokenKey key = new TokenKey(token);
    TokenCache.Entry<Identity> known = verified.get(key);
    if (known != null) {
      return Future.succeededFuture(known.value());
    }
    return check(token).onSuccess(identity -> verified.put(key, identity, cacheNanos(identity)));
  }

  /** Until the token's exp, at most {@link #VERIFIED_TTL_NANOS}. */
  private long cacheNanos(Identity identity) {
    Object exp = identity.claims().getValue("exp");
    if (!(exp instanceof Number n)) {
      return VERIFIED_TTL_NANOS;
    }
    long untilExp = (n.longValue() * 1000 - clock.millis().getAsLong()) * 1_000_000;
    return Math.min(VERIFIED_TTL_NANOS, untilExp);
  }

  /** Every failure is an {@link InvalidToken}: whatever a client-supplied token makes go wrong is the token's fault. */
  private Future<Identity> check(String token) {
    JwtParts parts;
    try {
      parts = JwtParts.parse(token).requireSupported();
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
          ? timely(parts.payload(), issuer)
          : Future.failedFuture(new InvalidToken(reason(ar.cause(), keys, kid))));
    }).recover(JwtVerifier::asInvalidToken);
  }

  /** The identity of a token whose signature, iss and aud were accepted, unless its time claims refuse it now. */
  private Future<Identity> timely(JsonObject payload, IssuerKeys issuer) {
    String refusal = TimeClaims.refusal(payload, clock.millis().getAsLong(), issuer.spec().clockSkew().toSeconds());
    return refusal != null
        ? Future.failedFuture(new InvalidToken(refusal))
        : Future.succeededFuture(Claims.identity(payload, issuer.spec().rolesClaim(), Identity.Credential.JWT));
  }

  /** vertx-auth-jwt throws on some claim shapes rather than failing: that, too, is a malformed token (401, never 503). */
  private static Future<Identity> asInvalidToken(Throwable failure) {
    if (failure instanceof InvalidToken) {
      return Future.failedFuture(failure);
    }
    LOG.log(Level.FINE, "a token failed verification with " + failure.getClass().getName());
    return Future.failedFuture(new InvalidToken("malformed token"));
  }

  /** What to tell the client about a token vertx-auth-jwt refused. */
  private static String reason(Throwable failure, KeySet keys, Object kid) {
    String message = String.valueOf(failure.getMessage());
    if (message.contains("audience")) {
      return "audience not accepted";
    }
    if (message.contains("issuer")) {
      return "untrusted issuer";
    }
    if (kid instanceof String s && !keys.kids().contains(s)) {
      return "unknown key id";
    }
    return "invalid signature";
  }
}
