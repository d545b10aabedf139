package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A document as the admin API shows it: every literal secret reads {@code <redacted>}, references
 * and every other field stay as written, and a redacted document cannot be pushed back as it is.
 */
class ConfigRedactionTest {
  private static final String JWT_SECRET = "jwt-literal-0123456789-abcdefghijkl";
  private static final List<String> LITERALS = List.of(JWT_SECRET, "client-literal", "Bearer upstream-literal",
      "tls-literal", "key-literal");

  private static final String LITERAL_SECRETS = """
      node:
        http: {port: 0, tls: {pkcs12: /etc/gridgate/tls/gateway.p12, password: tls-literal}}
      upstreams:
        u: {targets: [{address: "10.0.0.1:8080"}]}
      jwt_issuers:
        main: {issuer: "https://a.test", algorithms: [HS256], keys: [{kid: k1, algorithm: HS256, secret: "%s"}]}
      oauth2_servers:
        corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: client-literal}
      routes:
        - id: r
          match: {path: {prefix: /}}
          upstream: u
          request_headers:
            set: {Authorization: "Bearer upstream-literal", X-Release: canary}
            add: {x-api-key: key-literal}
          response_headers: {set: {Authorization: shown-as-written}}
      """.formatted(JWT_SECRET);

  @Test
  void literalSecretsAreRedactedAndEverythingElseStays() {
    String redacted = SecretFields.redact(LITERAL_SECRETS);

    for (String literal : LITERALS) {
      assertFalse(redacted.contains(literal), literal + " in " + redacted);
    }
    GatewayConfig shown = ConfigParser.secretsAsWritten().parse(redacted.replace("/etc/gridgate/tls/gateway.p12", "pom.xml"));
    assertEquals(SecretFields.REDACTED, shown.jwtIssuers().get("main").keys().get(0).secret());
    assertEquals(SecretFields.REDACTED, shown.oauth2Servers().get("corp").clientSecret());
    assertEquals(SecretFields.REDACTED, shown.node().httpTls().password());
    RouteSpec route = shown.routes().get(0);
    assertEquals(SecretFields.REDACTED, route.requestHeaders().set().get("Authorization"));
    assertEquals(SecretFields.REDACTED, route.requestHeaders().add().get("x-api-key"));
    assertEquals("canary", route.requestHeaders().set().get("X-Release"));
    assertEquals("shown-as-written", route.responseHeaders().set().get("Authorization"));
    assertEquals("gw", shown.oauth2Servers().get("corp").clientId());
  }

  @Test
  void aDocumentWithReferencesOnlyIsShownAsPushedCommentsIncluded() {
    String document = "# orders, pushed by ops\n" + SecretReferencesTest.document("${env:JWT}", "${file:/run/secrets/client}",
        "${env:UPSTREAM}");
    assertSame(document, SecretFields.redact(document));
  }

  @Test
  void aRedactedDocumentCannotBePushedBackAsItIs() {
    String redacted = SecretFields.redact(SecretReferencesTest.document(JWT_SECRET, "client-literal", "${env:UPSTREAM}"));
    assertTrue(redacted.contains("${env:UPSTREAM}"), redacted);

    InvalidConfigException refused = assertThrows(InvalidConfigException.class,
        () -> new ConfigParser(SecretResolver.withEnvironment(java.util.Map.of("UPSTREAM", "Bearer x"))).parse(redacted));
    assertEquals(List.of("jwt_issuers.main.keys[0].secret", "oauth2_servers.corp.client_secret"),
        refused.errors().stream().map(ConfigError::path).toList());
  }

  @Test
  void secretsReachedThroughAnchorsAndMergeKeysAreRedactedToo() {
    String document = """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        oauth2_servers:
          corp: &corp {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: merged-literal}
          partner: {<<: *corp, client_id: partner}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u}
        """;
    String redacted = SecretFields.redact(document);

    assertFalse(redacted.contains("merged-literal"), redacted);
    GatewayConfig shown = ConfigParser.secretsAsWritten().parse(redacted);
    assertEquals(SecretFields.REDACTED, shown.oauth2Servers().get("partner").clientSecret());
    assertEquals("partner", shown.oauth2Servers().get("partner").clientId());
  }

  @Test
  void jsonDocumentsAreRedactedToo() {
    String json = """
        {"upstreams": {"u": {"targets": [{"address": "10.0.0.1:8080"}]}},
         "oauth2_servers": {"corp": {"introspection_url": "http://127.0.0.1:9/i", "client_id": "gw", "client_secret": "json-literal"}},
         "routes": [{"id": "r", "match": {"path": {"prefix": "/"}}, "upstream": "u"}]}
        """;
    String redacted = SecretFields.redact(json);
    assertFalse(redacted.contains("json-literal"), redacted);
    assertEquals(SecretFields.REDACTED, ConfigParser.secretsAsWritten().parse(redacted).oauth2Servers().get("corp").clientSecret());
  }
}
