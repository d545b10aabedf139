package io.gridgate.security.auth;

import io.gridgate.config.AuthSpec;
import io.gridgate.config.TokenLocation;
import io.gridgate.security.Identity;
import io.gridgate.security.PolicyContext;
import io.gridgate.security.Refusal;
import io.gridgate.security.RequestPolicy;
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
  private final List<TokenSource> sources;
  private final Map<TokenLocation, JwtVerifier> jwt;
  private final Introspector oauth2;
  private final AuthSpec spec;

  /** JWT verifiers by where their issuers' tokens are (may be empty); {@code oauth2} may be null. */
  TokenAuthentication(AuthSpec spec, Map<TokenLocation, JwtVerifier> jwt, Introspector oauth2) {
    this.spec = spec;
    this.jwt = Map.copyOf(jwt);
    this.oauth2 = oauth2;
    Set<TokenLocation> locations = new LinkedHashSet<>(jwt.keySet());
    if (oauth2 != null) {
      locations.add(oauth2.spec().token());
    }
    this.sources = locations.stream().map(TokenSource::new).toList();
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    if (context.identity() != null) {
      return Future.succeededFuture(); // the route's API key already proved who this is
    }
    for (TokenSource source : sources) {
      String token = source.read(context.request());
      if (token != null) {
        return verify(token, source.location()).transform(ar -> {
          if (ar.succeeded()) {
            admit(context, source, ar.result());
            return Future.succeededFuture();
          }
          return Future.succeededFuture(refusal(ar.cause()));
        });
      }
    }
    return Future.succeededFuture(BearerChallenge.missing());
  }

  private Future<Identity> verify(String token, TokenLocation location) {
    JwtVerifier verifier = jwt.get(location);
    boolean oauth2Here = oauth2 != null && location.equals(oauth2.spec().token());
    if (verifier != null && (!oauth2Here || JwtParts.looksLikeJwt(token))) {
      Future<Identity> verified = verifier.verify(token);
      return oauth2Here ? verified.recover(failure -> introspect(token)) : verified;
    }
    return introspect(token);
  }

  private Future<Identity> introspect(String token) {
    return oauth2.introspect(token).map(claims -> Claims.identity(claims, "roles", Identity.Credential.OAUTH2));
  }

  private void admit(PolicyContext context, TokenSource source, Identity identity) {
    context.identity(identity);
    if (!spec.passCredential()) {
      source.strip(context);
    }
  }

  private static Refusal refusal(Throwable failure) {
    if (failure instanceof InvalidToken invalid) {
      return BearerChallenge.invalid(invalid.getMessage());
    }
    LOG.log(Level.WARNING, "a token could not be checked: " + failure.getMessage());
    return Refusal.of(503, "auth_unavailable", "the credential cannot be checked right now");
  }
}
