package io.gridgate.security.auth;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.AuthSpec;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.JwtIssuerSpec;
import io.gridgate.config.OAuth2ServerSpec;
import io.gridgate.config.RouteSpec;
import io.gridgate.config.TokenLocation;
import io.gridgate.security.PolicyFactory;
import io.gridgate.security.RequestPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the JWT / OAuth2 authentication of routes with an {@code auth} section. Issuer keys
 * (with their JWKS) and introspection caches are kept across configuration versions as long as
 * their definition does not change; those no version uses any more are dropped. Token expiry,
 * cached answers and JWKS refreshes are timed by the node's clock.
 */
public final class AuthPolicyFactory implements PolicyFactory {
  private final Vertx vertx;
  private final HttpClient client;
  private final JwksClient jwks;
  private final NodeClock clock;
  private final Map<JwtIssuerSpec, IssuerKeys> issuers = new HashMap<>();
  private final Map<OAuth2ServerSpec, Introspector> servers = new HashMap<>();
  private GatewayConfig lastConfig;

  public AuthPolicyFactory(Vertx vertx, NodeClock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    this.jwks = new JwksClient(client);
  }

  @Override
  public synchronized RequestPolicy create(RouteSpec route, GatewayConfig config) {
    if (config != lastConfig) {
      issuers.keySet().retainAll(config.jwtIssuers().values());
      servers.keySet().retainAll(config.oauth2Servers().values());
      lastConfig = config;
    }
    AuthSpec auth = route.auth();
    if (auth == null || (auth.jwtIssuers().isEmpty() && auth.oauth2Server() == null)) {
      return null;
    }
    Map<TokenLocation, List<IssuerKeys>> byLocation = new LinkedHashMap<>();
    for (String name : auth.jwtIssuers()) {
      JwtIssuerSpec spec = config.jwtIssuers().get(name);
      IssuerKeys keys = issuers.computeIfAbsent(spec, s -> new IssuerKeys(vertx, s, jwks, clock.nanos()));
      byLocation.computeIfAbsent(spec.token(), l -> new ArrayList<>()).add(keys);
    }
    Map<TokenLocation, JwtVerifier> verifiers = new LinkedHashMap<>();
    byLocation.forEach((location, keys) -> verifiers.put(location, new JwtVerifier(keys, clock)));
    Introspector introspector = auth.oauth2Server() == null ? null
        : servers.computeIfAbsent(config.oauth2Servers().get(auth.oauth2Server()), s -> new Introspector(client, s, clock));
    return new TokenAuthentication(auth, verifiers, introspector);
  }
}
