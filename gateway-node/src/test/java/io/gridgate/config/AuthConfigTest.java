package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jwt_issuers}, {@code oauth2_servers} and a route's {@code auth}: defaults, values and errors with their YAML paths. */
class AuthConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String document(String sections, String routeAuth) {
    return """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        %s
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u, auth: %s}
        """.formatted(sections, routeAuth);
  }

  private List<String> errorsOf(String sections, String routeAuth) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(document(sections, routeAuth)));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  private static String rsaPem() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return "-----BEGIN PUBLIC KEY-----\\n"
        + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
        + "\\n-----END PUBLIC KEY-----";
  }

  @Test
  void issuersServersAndRouteAuthAreReadWithTheirDefaults() {
    GatewayConfig config = parser.parse(document("""
        jwt_issuers:
          main: {issuer: "https://idp", algorithms: [RS256], jwks_url: "http://idp:8080/jwks"}
        oauth2_servers:
          corp: {introspection_url: "https://as/introspect", client_id: gw, client_secret: pw, token: {cookie: at}}
        """, "{jwt: {issuers: [main]}, oauth2: {server: corp}, identity_headers: {sub: X-User-Id}}"));
    JwtIssuerSpec main = config.jwtIssuers().get("main");
    assertEquals(new JwtIssuerSpec("main", "https://idp", List.of(), List.of("RS256"), List.of(), "http://idp:8080/jwks",
        Duration.ofSeconds(30), Duration.ofSeconds(30), "roles", TokenLocation.BEARER), main);
    assertEquals(new OAuth2ServerSpec("corp", "https://as/introspect", "gw", "pw", Duration.ofSeconds(30),
            Duration.ofSeconds(5), 10_000, new TokenLocation(TokenLocation.Source.COOKIE, "at")),
        config.oauth2Servers().get("corp"));
    assertEquals(new AuthSpec(List.of("main"), "corp", null, false, Map.of("sub", "X-User-Id")), config.routes().get(0).auth());
  }

  @Test
  void aRouteWithoutAuthHasNone() {
    assertNull(parser.parse("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u}
        """).routes().get(0).auth());
  }

  @Test
  void unsafeOrInconsistentIssuersAreRejectedWithTheirPaths() throws Exception {
    String pem = rsaPem();
    assertEquals(List.of(
        "jwt_issuers.a.algorithms: 'none' is never accepted: tokens must be signed",
        "jwt_issuers.a: needs keys or jwks_url",
        "jwt_issuers.b.keys[0]: HS256 keys need a secret and no pem",
        "jwt_issuers.b.keys[1]: RS256 keys need a pem (public key) and no secret",
        "jwt_issuers.b.keys[2].secret: must be at least 32 characters for HS256",
        "jwt_issuers.b.keys[3].algorithm: 'ES256' is not among the issuer's algorithms [HS256, RS256]",
        "jwt_issuers.b.issuer: is required",
        "jwt_issuers.c.kid: unknown field (allowed: algorithms, audiences, clock_skew, issuer, jwks_min_refresh, "
            + "jwks_url, keys, roles_claim, token)",
        "jwt_issuers.c.algorithms: is required: the algorithms this issuer signs with",
        "jwt_issuers.c.jwks_url: must be an http:// or https:// URL with a host (was 'file:///etc/keys')",
        "jwt_issuers.c.clock_skew: must be between 1000ms and 10m (was '1h')",
        "jwt_issuers.c.token: needs exactly one of header, query or cookie"),
        errorsOf("""
            jwt_issuers:
              a: {issuer: x, algorithms: [RS256, none]}
              b:
                algorithms: [HS256, RS256]
                keys:
                  - {algorithm: HS256, pem: "%s"}
                  - {algorithm: RS256, secret: "0123456789abcdef0123456789abcdef"}
                  - {algorithm: HS256, secret: short}
                  - {algorithm: ES256, pem: "%s"}
              c: {issuer: x, jwks_url: "file:///etc/keys", clock_skew: 1h, token: {header: X-T, query: t}, kid: k}
            """.formatted(pem, pem), "{jwt: {issuers: [a]}}"));
  }

  @Test
  void aPemThatIsNotAKeyIsRejected() {
    assertEquals(List.of("jwt_issuers.a.keys[0].pem: not a usable RS256 public key: PEM contains not enough lines"),
        errorsOf("jwt_issuers: {a: {issuer: x, algorithms: [RS256], keys: [{algorithm: RS256, pem: nonsense}]}}",
            "{jwt: {issuers: [a]}}"));
  }

  @Test
  void serversAndRouteAuthAreChecked() {
    assertEquals(List.of(
        "oauth2_servers.s.client_id: is required",
        "oauth2_servers.s.client_secret: is required",
        "oauth2_servers.s.cache_ttl: must be between 1000ms and 60m (was '2h')",
        "oauth2_servers.s.cache_size: must be between 1 and 10000000 (was 0)",
        "routes[0].auth.api_keys: unknown field (allowed: api_key, identity_headers, jwt, oauth2, pass_credential)",
        "routes[0].auth.jwt.issuers: unknown JWT issuer 'nope' (not in jwt_issuers)",
        "routes[0].auth.oauth2.server: unknown OAuth2 server 'other' (not in oauth2_servers)",
        "routes[0].auth.identity_headers.sub: not a valid header name: 'X User'"),
        errorsOf("oauth2_servers: {s: {introspection_url: \"http://as/i\", cache_ttl: 2h, cache_size: 0}}",
            "{jwt: {issuers: [nope]}, oauth2: {server: other}, identity_headers: {sub: X User}, api_keys: {}}"));
    assertEquals(List.of("routes[0].auth: needs jwt, oauth2 or api_key"), errorsOf("", "{pass_credential: true}"));
  }
}
