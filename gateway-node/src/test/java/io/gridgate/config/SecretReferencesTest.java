package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secret fields take {@code ${env:NAME}} and {@code ${file:/path}} references, resolved when the
 * document is parsed; a reference that cannot be resolved, a malformed one and the admin API's
 * {@code <redacted>} stand-in are errors naming the field, and no error ever shows a secret.
 */
class SecretReferencesTest {
  private static final String JWT_SECRET = "jwt-secret-0123456789-abcdefghijkl";
  private static final String JWT_PATH = "jwt_issuers.main.keys[0].secret";
  private static final String CLIENT_PATH = "oauth2_servers.corp.client_secret";
  private static final String AUTHORIZATION_PATH = "routes[0].request_headers.set.Authorization";

  @TempDir
  Path dir;

  /** A document with every shared secret field: an HS256 key, an OAuth2 client secret and an upstream Authorization header. */
  static String document(String jwtSecret, String clientSecret, String authorization) {
    return """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        jwt_issuers:
          main: {issuer: "https://a.test", algorithms: [HS256], keys: [{kid: k1, algorithm: HS256, secret: "%s"}]}
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: "%s"}
        routes:
          - id: r
            match: {path: {prefix: /}}
            upstream: u
            request_headers: {set: {Authorization: "%s", X-Release: "${env:NOT_A_SECRET_FIELD}"}}
            response_headers: {set: {Authorization: "${env:NOT_A_SECRET_FIELD_EITHER}"}}
        """.formatted(jwtSecret, clientSecret, authorization);
  }

  private static ConfigParser parser(Map<String, String> env) {
    return new ConfigParser(SecretResolver.withEnvironment(env));
  }

  private static List<ConfigError> errorsOf(ConfigParser parser, String yaml) {
    return assertThrows(InvalidConfigException.class, () -> parser.parse(yaml)).errors();
  }

  private static String reasonAt(List<ConfigError> errors, String path) {
    return errors.stream().filter(e -> e.path().equals(path)).map(ConfigError::reason).findFirst()
        .orElseThrow(() -> new AssertionError("no error at " + path + " in " + errors));
  }

  @Test
  void environmentReferencesResolveInEverySecretField() {
    GatewayConfig config = parser(Map.of("JWT", JWT_SECRET, "CLIENT", "client-password", "UPSTREAM", "Bearer upstream-key"))
        .parse(document("${env:JWT}", "${env:CLIENT}", "${env:UPSTREAM}"));

    assertEquals(JWT_SECRET, config.jwtIssuers().get("main").keys().get(0).secret());
    assertEquals("client-password", config.oauth2Servers().get("corp").clientSecret());
    RouteSpec route = config.routes().get(0);
    assertEquals("Bearer upstream-key", route.requestHeaders().set().get("Authorization"));
    assertEquals("${env:NOT_A_SECRET_FIELD}", route.requestHeaders().set().get("X-Release"), "only credential headers are secrets");
    assertEquals("${env:NOT_A_SECRET_FIELD_EITHER}", route.responseHeaders().set().get("Authorization"));
    assertTrue(config.sharedDocument().contains("${env:JWT}"), "the shared document keeps the reference");
    assertFalse(config.toString().contains(JWT_SECRET) || config.toString().contains("client-password"), config.toString());
  }

  @Test
  void fileReferencesReadTheFileWithoutItsTrailingLineBreaks() throws IOException {
    Path jwt = Files.writeString(dir.resolve("jwt"), JWT_SECRET + "\n");
    Path client = Files.writeString(dir.resolve("client"), "client password\r\n");
    GatewayConfig config = parser(Map.of("UPSTREAM", "Bearer x"))
        .parse(document("${file:" + jwt + "}", "${file:" + client + "}", "${env:UPSTREAM}"));

    assertEquals(JWT_SECRET, config.jwtIssuers().get("main").keys().get(0).secret());
    assertEquals("client password", config.oauth2Servers().get("corp").clientSecret());
  }

  @Test
  void theListenersPkcs12PasswordIsASecretField() throws IOException {
    String yaml = """
        node:
          http: {port: 0, tls: {pkcs12: "%s", password: "${env:TLS_PASSWORD}"}}
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u}
        """.formatted(Files.writeString(dir.resolve("gateway.p12"), "placeholder"));

    GatewayConfig config = parser(Map.of("TLS_PASSWORD", "changeit")).parse(yaml);
    assertEquals("changeit", config.node().httpTls().password());
    assertFalse(config.toString().contains("changeit"), config.toString());
    assertEquals("node.http.tls.password: ${env:TLS_PASSWORD}: environment variable TLS_PASSWORD is not set",
        errorsOf(parser(Map.of()), yaml).get(0).toString());
  }

  @Test
  void unsetVariablesAreErrorsNamingTheFieldAndTheReference() {
    List<ConfigError> errors = errorsOf(parser(Map.of("EMPTY", "")),
        document("${env:JWT}", "${env:EMPTY}", "${env:UPSTREAM}"));

    assertEquals("${env:JWT}: environment variable JWT is not set", reasonAt(errors, JWT_PATH));
    assertEquals("${env:EMPTY}: the environment variable is empty", reasonAt(errors, CLIENT_PATH));
    assertEquals("${env:UPSTREAM}: environment variable UPSTREAM is not set", reasonAt(errors, AUTHORIZATION_PATH));
    assertEquals(3, errors.size(), errors.toString());
  }

  @Test
  void unusableFilesAreErrorsNamingTheFieldAndTheReference() throws IOException {
    Path missing = dir.resolve("missing");
    Path directory = Files.createDirectory(dir.resolve("directory"));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path large = Files.write(dir.resolve("large"), new byte[EnvironmentAndFiles.MAX_FILE_BYTES + 1]);
    Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
    Map<Path, String> expected = Map.of(missing, "no such file", directory, "not a regular file",
        empty, "the file is empty", large, "the file is larger than 64 KB", binary, "the file is not UTF-8 text");

    for (Map.Entry<Path, String> file : expected.entrySet()) {
      String reference = "${file:" + file.getKey() + "}";
      List<ConfigError> errors = errorsOf(parser(Map.of()), document(reference, "s", "Bearer x"));
      assertEquals(List.of(new ConfigError(JWT_PATH, reference + ": " + file.getValue())), errors);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"${vault:jwt}", "${env:}", "${env:JWT-SECRET}", "${file:relative/jwt}", "${env:JWT", "${}"})
  void malformedReferencesAreErrors(String reference) {
    String reason = reasonAt(errorsOf(parser(Map.of("JWT", JWT_SECRET)), document(reference, "s", "Bearer x")), JWT_PATH);
    assertTrue(reason.contains("${env:NAME}") || reason.contains("${file:PATH}"), reason);
  }

  @Test
  void theRedactedStandInIsRefusedInEverySecretField() {
    List<ConfigError> errors = errorsOf(parser(Map.of()),
        document(SecretFields.REDACTED, SecretFields.REDACTED, SecretFields.REDACTED));

    assertEquals(List.of(JWT_PATH, CLIENT_PATH, AUTHORIZATION_PATH), errors.stream().map(ConfigError::path).toList());
    assertTrue(errors.get(0).reason().startsWith("is '<redacted>', the admin API's stand-in for a literal secret"),
        errors.get(0).reason());
  }

  @Test
  void errorsNeverShowASecret() throws IOException {
    Path shortFile = Files.writeString(dir.resolve("short"), "short-file-secret");
    List<ConfigError> errors = errorsOf(parser(Map.of()), document("short-literal-secret", "s", "Bearer x"));
    assertEquals("must be at least 32 characters for HS256", reasonAt(errors, JWT_PATH));
    errors = errorsOf(parser(Map.of()), document("${file:" + shortFile + "}", "s", "Bearer x"));
    assertEquals("must be at least 32 characters for HS256", reasonAt(errors, JWT_PATH));

    String broken = document(JWT_SECRET, "s", "Bearer x").replace("secret: \"" + JWT_SECRET + "\"", "secret: \"" + JWT_SECRET);
    List<ConfigError> yamlErrors = errorsOf(parser(Map.of()), broken);
    assertTrue(yamlErrors.get(0).reason().startsWith("not valid YAML: "), yamlErrors.toString());
    assertFalse(yamlErrors.toString().contains(JWT_SECRET), "the offending line is not quoted: " + yamlErrors);
  }

  @Test
  void theExampleOfTheSecurityDocsSecretsSectionIsAValidConfiguration() throws IOException {
    String doc = Files.readString(Path.of("../docs/security.md"));
    String section = doc.substring(doc.indexOf("\n## Secrets\n"), doc.indexOf("\n## Identity headers"));
    int start = section.indexOf("```yaml\n") + "```yaml\n".length();
    Path clientSecret = Files.writeString(dir.resolve("corp-client-secret"), "introspection-client-secret\n");
    String example = section.substring(start, section.indexOf("```", start))
        .replace("/etc/gridgate/secrets/corp-client-secret", clientSecret.toString());

    GatewayConfig config = parser(Map.of("PARTNER_JWT_SECRET", "a-shared-secret-of-at-least-32-chars!")).parse(example);
    assertEquals("a-shared-secret-of-at-least-32-chars!", config.jwtIssuers().get("partner").keys().get(0).secret());
    assertEquals("introspection-client-secret", config.oauth2Servers().get("corp").clientSecret());
  }

  @Test
  void withoutResolutionReferencesAndTheStandInStayAsWrittenAndAreNotChecked() {
    GatewayConfig config = ConfigParser.secretsAsWritten()
        .parse(document("${env:UNSET}", SecretFields.REDACTED, "${file:/nonexistent/secret}"));

    assertEquals("${env:UNSET}", config.jwtIssuers().get("main").keys().get(0).secret());
    assertEquals(SecretFields.REDACTED, config.oauth2Servers().get("corp").clientSecret());
    assertEquals("${file:/nonexistent/secret}", config.routes().get(0).requestHeaders().set().get("Authorization"));
    assertEquals("must be at least 32 characters for HS256",
        reasonAt(errorsOf(ConfigParser.secretsAsWritten(), document("short-literal", "s", "x")), JWT_PATH),
        "a literal secret is still checked");
    assertEquals(JWT_PATH + ": ${env:NAME} needs a variable name matching [A-Za-z_][A-Za-z0-9_]*",
        errorsOf(ConfigParser.secretsAsWritten(), document("${env:a b}", "s", "x")).get(0).toString(),
        "a malformed reference is an error everywhere");
  }
}
