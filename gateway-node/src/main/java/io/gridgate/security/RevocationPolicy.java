package io.gridgate.security;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Refuses a proven identity whose token was revoked anywhere in the cluster: by its {@code jti},
 * or by its subject for tokens issued before a time. Reads only this node's replica; a revocation
 * ends at its expiry by the node's wall clock, the clock the token's own exp is checked by.
 */
final class RevocationPolicy implements RequestPolicy {
  private static final Refusal REVOKED = new Refusal(401, "unauthorized", "the credential was revoked",
      Map.of("WWW-Authenticate", "Bearer realm=\"gridgate\", error=\"invalid_token\", error_description=\"revoked\""));
  private final RevocationList revocations;
  private final LongSupplier millis;

  RevocationPolicy(RevocationList revocations, LongSupplier millis) {
    this.revocations = revocations;
    this.millis = millis;
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    Identity identity = context.identity();
    if (identity == null || revocations.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = millis.getAsLong();
    JsonObject claims = identity.claims();
    Object jti = claims.getValue("jti");
    Object iat = claims.getValue("iat");
    long issuedAt = iat instanceof Number n ? n.longValue() * 1000 : -1;
    boolean revoked = revocations.isRevokedToken(jti == null ? null : jti.toString(), now)
        || revocations.isRevokedSubject(identity.subject(), issuedAt, now);
    return Future.succeededFuture(revoked ? REVOKED : null);
  }
}
