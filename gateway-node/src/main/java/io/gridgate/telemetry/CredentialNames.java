package io.gridgate.telemetry;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;
import io.gridgate.config.SecretFields;
import io.gridgate.config.TokenLocation;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The request headers and query parameters that may carry secrets, in lower case: the usual ones
 * (Authorization, cookies, API keys, tokens, passwords, signatures), those a configuration reads
 * credentials from (routes' API keys, issuers' and OAuth2 servers' token locations) and the
 * operator's own additions. Their values are never written to the access log.
 */
record CredentialNames(Set<String> headers, Set<String> queryParams) {
  private static final List<String> QUERY_PARAMS = List.of("access_token", "id_token", "refresh_token", "token", "jwt",
      "api_key", "apikey", "api-key", "key", "password", "passwd", "secret", "client_secret", "signature", "sig", "code");

  /** The names for {@code config}, plus {@code extraQueryParams}. */
  static CredentialNames of(GatewayConfig config, Collection<String> extraQueryParams) {
    Set<String> headers = new HashSet<>(SecretFields.CREDENTIAL_HEADERS);
    Set<String> query = new HashSet<>(QUERY_PARAMS);
    extraQueryParams.forEach(name -> query.add(lower(name)));
    for (RouteSpec route : config.routes()) {
      if (route.auth() != null && route.auth().apiKey() != null) {
        addIfSet(headers, route.auth().apiKey().header());
        addIfSet(query, route.auth().apiKey().query());
      }
    }
    Stream.concat(config.jwtIssuers().values().stream().map(issuer -> issuer.token()),
            config.oauth2Servers().values().stream().map(server -> server.token()))
        .forEach(token -> addIfSet(token.source() == TokenLocation.Source.QUERY ? query : headers, token.name()));
    return new CredentialNames(Set.copyOf(headers), Set.copyOf(query));
  }

  private static void addIfSet(Set<String> names, String name) {
    if (name != null) {
      names.add(lower(name));
    }
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
