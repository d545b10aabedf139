package io.gridgate.security.auth;

import io.gridgate.config.AuthSpec;
import io.gridgate.config.TokenLocation;
import io.gridgate.security.Identity;
import io.gridgate.security.PolicyContext;
import io.gridgate.security.Refusal;
import io.gridgate.security.RequestPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A route's bearer-token authentication: reads the token, verifies it as a JWT (when it looks like
 * one and the route trusts JWT issuers there) or through OAuth2 introspection, then sets the
 * identity and strips the credential. Anything else is a 401; a request an API key already
 * authenticated passes.
 */
final class TokenAuthentication implements RequestPolicy {
  private static final Logger LOG = Logger.getLogger(TokenAuthentication.class.getName());
  private final List<Source> sources;
  private final Introspector oauth2;
  private final AuthSpec spec;

  /** Where a token may be, and how one found there is verified. */
  private record Source(TokenSource reader, JwtVerifier jwt, boolean introspected) {}

  /** JWT verifiers by where their issuers' tokens are (may be empty); {@code oauth2} may be null. */
  TokenAuthentication(AuthSpec spec, Map<TokenLocation, JwtVerifier> jwt, Introspector oauth2) {
    this.spec = spec;
    this.oauth2 = oauth2;
    Set<TokenLocation> locations = new LinkedHashSet<>(jwt.keySet());
    if (oauth2 != null) {
      locations.add(oauth2.spec().token());
    }
    this.sources = locations.stream()
        .map(location -> new Source(new TokenSource(location), jwt.get(location),
            oauth2 != null && location.equals(oauth2.spec().token())))
        .toList();
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    if (context.identity() != null) {
      return Future.succeededFuture(); // the route's API key already proved who this is
    }
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      String token = source.reader().read(context.request());
      if (token != null) {
        Future<Identity> verified = verify(token, source);
        return verified.isComplete() // a token verified lately: decided without another future
            ? Future.succeededFuture(decided(context, source, verified))
            : verified.transform(ar -> Future.succeededFuture(decided(context, source, ar)));
      }
    }
    return Future.succeededFuture(BearerChallenge.missing());
  }

  /** Null (admitted: the identity set, the credential stripped) or the refusal. */
  private Refusal decided(PolicyContext context, Source source, AsyncResult<Identity> verified) {
    if (verified.failed()) {
      return refusal(verified.cause());
    }
    context.identity(verified.result());
    if (!spec.passCredential()) {
      source.reader().strip(context);
    }
    return null;
  }

  private Future<Identity> verify(String token, Source source) {
    if (source.jwt() != null && (!source.introspected() || JwtParts.looksLikeJwt(token))) {
      Future<Identity> verified = source.jwt().verify(token);
      return source.introspected() ? verified.recover(failure -> introspect(token)) : verified;
    }
    return introspect(token);
  }

  private Future<Identity> introspect(String token) {
    return oauth2.introspect(token).map(claims -> Claims.identity(claims, "roles", Identity.Credential.OAUTH2));
  }

  private static Refusal refusal(Throwable failure) {
    if (failure instanceof InvalidToken invalid) {
      return BearerChallenge.invalid(invalid.getMessage());
    }
    LOG.log(Level.WARNING, "a token could not be checked: " + failure.getMessage());
    return Refusal.of(503, "auth_unavailable", "the credential cannot be checked right now");
  }
}
