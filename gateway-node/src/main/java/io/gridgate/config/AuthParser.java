package io.gridgate.config;

import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Parses {@code jwt_issuers}, {@code oauth2_servers} and a route's {@code auth} section. */
final class AuthParser {
  /** Signature algorithms a JWT issuer may allow. */
  static final List<String> ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
      "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Duration MAX_TTL = Duration.ofHours(1);

  private final Secrets secrets;

  /** The issuer and server names a route's {@code auth} may refer to. */
  record Known(Set<String> issuers, Set<String> servers) {}

  AuthParser(Secrets secrets) {
    this.secrets = secrets;
  }

  Map<String, JwtIssuerSpec> issuers(ConfigNode n) {
    return named(n, this::issuer);
  }

  Map<String, OAuth2ServerSpec> servers(ConfigNode n) {
    return named(n, this::server);
  }

  private static <T> Map<String, T> named(ConfigNode n, BiFunction<String, ConfigNode, T> parse) {
    Map<String, T> out = new LinkedHashMap<>();
    n.entries().forEach((name, entry) -> {
      if (!NAME.matcher(name).matches()) {
        entry.error("name must match " + NAME.pattern());
      }
      out.put(name, parse.apply(name, entry));
    });
    return out;
  }

  /** A route's {@code auth}, or null when it has none. */
  AuthSpec route(ConfigNode n, Known known) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("jwt", "oauth2", "api_key", "pass_credential", "identity_headers"));
    ConfigNode jwt = n.get("jwt").allowOnly(Set.of("issuers"));
    List<String> issuers = jwt.isMissing() ? List.of() : jwt.get("issuers").strings();
    if (!jwt.isMissing() && issuers.isEmpty()) {
      jwt.get("issuers").error("is required: at least one issuer");
    }
    issuers.forEach(name -> {
      if (!known.issuers().contains(name)) {
        jwt.get("issuers").error("unknown JWT issuer '" + name + "' (not in jwt_issuers)");
      }
    });
    ConfigNode oauth2 = n.get("oauth2").allowOnly(Set.of("server"));
    String server = oauth2.isMissing() ? null : oauth2.get("server").requiredString();
    if (server != null && !known.servers().contains(server)) {
      oauth2.get("server").error("unknown OAuth2 server '" + server + "' (not in oauth2_servers)");
    }
    AuthSpec.ApiKeySpec apiKey = AccessParser.apiKey(n.get("api_key"));
    if (jwt.isMissing() && oauth2.isMissing() && apiKey == null) {
      n.error("needs jwt, oauth2 or api_key");
    }
    Map<String, String> headers = n.get("identity_headers").stringMap();
    headers.forEach((claim, header) -> {
      if (!HEADER.matcher(header).matches()) {
        n.get("identity_headers").get(claim).error("not a valid header name: '" + header + "'");
      }
    });
    return new AuthSpec(issuers, server, apiKey, n.get("pass_credential").bool(false), headers);
  }

  private JwtIssuerSpec issuer(String name, ConfigNode n) {
    n.allowOnly(Set.of("issuer", "audiences", "algorithms", "keys", "jwks_url", "jwks_min_refresh", "clock_skew",
        "roles_claim", "token"));
    List<String> algorithms = algorithms(n.get("algorithms"));
    List<JwtKeySpec> keys = new ArrayList<>();
    for (ConfigNode key : n.get("keys").items()) {
      JwtKeySpec spec = key(key, algorithms);
      if (spec != null) {
        keys.add(spec);
      }
    }
    String jwksUrl = n.get("jwks_url").isMissing() ? null : url(n.get("jwks_url"));
    if (n.get("keys").isMissing() && n.get("jwks_url").isMissing()) {
      n.error("needs keys or jwks_url");
    }
    return new JwtIssuerSpec(name, n.get("issuer").requiredString(), n.get("audiences").strings(), algorithms, keys,
        jwksUrl,
        ConfigParser.boundedDuration(n.get("jwks_min_refresh"), Duration.ofSeconds(30), Duration.ofMillis(100), MAX_TTL),
        skew(n.get("clock_skew")),
        n.get("roles_claim").string("roles"),
        token(n.get("token")));
  }

  private static List<String> algorithms(ConfigNode n) {
    if (n.isMissing()) {
      n.error("is required: the algorithms this issuer signs with");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String alg : n.strings()) {
      if ("none".equalsIgnoreCase(alg)) {
        n.error("'none' is never accepted: tokens must be signed");
      } else if (!ALGORITHMS.contains(alg)) {
        n.error("unsupported algorithm '" + alg + "' (supported: " + String.join(", ", ALGORITHMS) + ")");
      } else {
        out.add(alg);
      }
    }
    return out;
  }

  private JwtKeySpec key(ConfigNode n, List<String> algorithms) {
    n.allowOnly(Set.of("kid", "algorithm", "pem", "secret"));
    String algorithm = n.get("algorithm").requiredString();
    String pem = n.get("pem").string(null);
    boolean hasSecret = !n.get("secret").isMissing();
    if (algorithm == null) {
      return null;
    }
    if (!algorithms.contains(algorithm)) {
      n.get("algorithm").error("'" + algorithm + "' is not among the issuer's algorithms " + algorithms);
      return null;
    }
    boolean hmac = algorithm.startsWith("HS");
    if (hmac && (!hasSecret || pem != null)) {
      n.error(algorithm + " keys need a secret and no pem");
      return null;
    }
    if (!hmac && (pem == null || hasSecret)) {
      n.error(algorithm + " keys need a pem (public key) and no secret");
      return null;
    }
    if (!hmac) {
      return usableKey(n.get("pem"), algorithm, pem, false) ? new JwtKeySpec(n.get("kid").string(null), algorithm, pem, null) : null;
    }
    Secrets.Secret secret = secrets.read(n.get("secret"));
    if (secret == null || (secret.known() && !usableKey(n.get("secret"), algorithm, secret.value(), true))) {
      return null;
    }
    return new JwtKeySpec(n.get("kid").string(null), algorithm, null, secret.value());
  }

  /** A PEM public key, or an HMAC secret long enough for {@code algorithm}; an error never shows a secret. */
  private static boolean usableKey(ConfigNode n, String algorithm, String key, boolean secret) {
    int minBytes = secret ? Integer.parseInt(algorithm.substring(2)) / 8 : 0;
    if (key.length() < minBytes) {
      n.error("must be at least " + minBytes + " characters for " + algorithm);
      return false;
    }
    try {
      new JWK(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(key));
      return true;
    } catch (RuntimeException e) {
      n.error(secret ? "not a usable " + algorithm + " secret" : "not a usable " + algorithm + " public key: " + e.getMessage());
      return false;
    }
  }

  private OAuth2ServerSpec server(String name, ConfigNode n) {
    n.allowOnly(Set.of("introspection_url", "client_id", "client_secret", "cache_ttl", "negative_cache_ttl",
        "cache_size", "token"));
    return new OAuth2ServerSpec(name, url(n.get("introspection_url")),
        n.get("client_id").requiredString(), secrets.requiredValue(n.get("client_secret")),
        ConfigParser.boundedDuration(n.get("cache_ttl"), Duration.ofSeconds(30), Duration.ofSeconds(1), MAX_TTL),
        ConfigParser.boundedDuration(n.get("negative_cache_ttl"), Duration.ofSeconds(5), Duration.ofMillis(100), MAX_TTL),
        n.get("cache_size").integer(10_000, 1, 10_000_000),
        token(n.get("token")));
  }

  private static TokenLocation token(ConfigNode n) {
    if (n.isMissing()) {
      return TokenLocation.BEARER;
    }
    n.allowOnly(Set.of("header", "query", "cookie"));
    Map<String, ConfigNode> given = n.entries();
    if (given.size() != 1) {
      n.error("needs exactly one of header, query or cookie");
      return TokenLocation.BEARER;
    }
    Map.Entry<String, ConfigNode> only = given.entrySet().iterator().next();
    String value = only.getValue().requiredString();
    if (value == null || !HEADER.matcher(value).matches()) {
      only.getValue().error("must be a header, parameter or cookie name");
      return TokenLocation.BEARER;
    }
    return new TokenLocation(TokenLocation.Source.valueOf(only.getKey().toUpperCase(java.util.Locale.ROOT)), value);
  }

  private static String url(ConfigNode n) {
    String url = n.requiredString();
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        n.error("must be an http:// or https:// URL with a host (was '" + url + "')");
      }
    } catch (URISyntaxException e) {
      n.error("not a URL: " + e.getMessage());
    }
    return url;
  }

  /** A clock skew: {@code 0s} allowed, at most 10 minutes. */
  private static Duration skew(ConfigNode n) {
    if ("0".equals(n.string("")) || "0s".equals(n.string(""))) {
      return Duration.ZERO;
    }
    return ConfigParser.boundedDuration(n, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(10));
  }
}
