package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation of the edge settings: ip_rules, cors, node.http.tls and upstream tls. */
class EdgeConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String document(String node, String upstreamExtras, String routeExtras, String topLevel) {
    return node + """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]%s}
        routes:
          - {id: r, match: {path: {prefix: /}, methods: [GET, PUT]}, upstream: u%s}
        %s
        """.formatted(upstreamExtras, routeExtras, topLevel);
  }

  private Map<String, String> errors(String document) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(document));
    return e.errors().stream().collect(java.util.stream.Collectors.toMap(ConfigError::path, ConfigError::reason, (a, b) -> a + "; " + b));
  }

  @Test
  void globalAndRouteIpRulesAcceptIpv4AndIpv6Blocks() {
    GatewayConfig config = parser.parse(document("", "",
        ", ip_rules: {allow: [\"2001:db8::/32\", 192.168.1.7]}",
        "ip_rules: {deny: [10.0.0.0/8, \"2001:db8:dead::/48\", \"fe80::1\"]}"));

    assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:dead::/48"), Cidr.parse("fe80::1")),
        config.ipRules().deny());
    IpRules route = config.routes().get(0).ipRules();
    assertTrue(route.allow().get(0).contains("2001:db8:ffff::1"));
    assertFalse(route.allow().get(0).contains("2001:db9::1"));
    assertTrue(route.allow().get(1).contains("192.168.1.7"));
    assertTrue(route.deny().isEmpty());
  }

  @Test
  void withoutIpRulesNothingIsFiltered() {
    GatewayConfig config = parser.parse(document("", "", "", ""));
    assertTrue(config.ipRules().isEmpty());
    assertTrue(config.routes().get(0).ipRules().isEmpty());
    assertNull(config.routes().get(0).cors());
    assertNull(config.node().httpTls());
    assertNull(config.upstreams().get("u").tls());
  }

  @Test
  void badIpRulesAreReportedWithTheirPaths() {
    Map<String, String> errors = errors(document("", "",
        ", ip_rules: {allow: [\"2001:db8::/129\"], block: [1.2.3.4]}",
        "ip_rules: {deny: [10.0.0.300]}"));

    assertTrue(errors.get("routes[0].ip_rules.allow[0]").contains("prefix length must be 0..128"), errors.toString());
    assertTrue(errors.get("routes[0].ip_rules.block").contains("unknown field"), errors.toString());
    assertTrue(errors.get("ip_rules.deny[0]").contains("not an IP address"), errors.toString());
  }

  @Test
  void corsDefaultsItsMethodsToTheRouteMethods() {
    CorsSpec cors = parser.parse(document("", "",
        ", cors: {allow_origins: [\"https://app.example\"], expose_headers: [X-Total], max_age: 1h}", ""))
        .routes().get(0).cors();

    assertEquals(List.of("https://app.example"), cors.allowOrigins());
    assertEquals(Set.of("GET", "PUT"), Set.copyOf(cors.allowMethods()));
    assertEquals(List.of(), cors.allowHeaders());
    assertEquals(List.of("X-Total"), cors.exposeHeaders());
    assertFalse(cors.allowCredentials());
    assertEquals(Duration.ofHours(1), cors.maxAge());
  }

  @Test
  void corsRejectsWildcardWithCredentialsAndMalformedEntries() {
    Map<String, String> errors = errors(document("", "",
        ", cors: {allow_origins: [\"*\", \"https://a.example/path\"], allow_credentials: true,"
            + " allow_headers: [\"Bad Header\"], allow_methods: [\"G T\"], maxage: 5s}", ""));

    assertTrue(errors.get("routes[0].cors.allow_origins").contains("'*' cannot be combined with allow_credentials"),
        errors.toString());
    assertTrue(errors.get("routes[0].cors.allow_origins").contains("not an origin"), errors.toString());
    assertTrue(errors.get("routes[0].cors.allow_headers").contains("Bad Header"), errors.toString());
    assertTrue(errors.get("routes[0].cors.allow_methods").contains("G T"), errors.toString());
    assertTrue(errors.get("routes[0].cors.maxage").contains("unknown field"), errors.toString());
  }

  @Test
  void corsOriginsMayBeIpv6LiteralsWithPorts() {
    CorsSpec cors = parser.parse(document("", "",
        ", cors: {allow_origins: [\"http://[::1]:3000\", \"http://localhost:3000\"]}", "")).routes().get(0).cors();
    assertEquals(List.of("http://[::1]:3000", "http://localhost:3000"), cors.allowOrigins());
    assertTrue(errors(document("", "", ", cors: {allow_origins: [\"[::1]:3000\"]}", ""))
        .get("routes[0].cors.allow_origins").contains("not an origin"));
  }

  @Test
  void corsNeedsAnOrigin() {
    assertTrue(errors(document("", "", ", cors: {allow_methods: [GET]}", ""))
        .get("routes[0].cors.allow_origins").contains("is required"));
  }

  @Test
  void listenerTlsWithPemFilesAndClientCertificates(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    Path ca = new TestCertificates(dir).authority("ca").cert();
    ServerTls tls = parser.parse(document("""
        node:
          http: {port: 8443, tls: {cert: "%s", key: "%s", protocols: [TLSv1.3], client_auth: require, ca: "%s"}}
        """.formatted(cert, key, ca), "", "", "")).node().httpTls();

    assertEquals(cert, tls.cert());
    assertEquals(key, tls.key());
    assertEquals(Set.of("TLSv1.3"), tls.protocols());
    assertEquals(ServerTls.ClientAuth.REQUIRE, tls.clientAuth());
    assertEquals(ca, tls.ca());
  }

  @Test
  void listenerTlsDefaultsToTls12And13WithoutClientCertificates(@TempDir Path dir) throws IOException {
    Path store = Files.writeString(dir.resolve("s.p12"), "x");
    ServerTls tls = parser.parse(document("""
        node:
          http: {tls: {pkcs12: "%s", password: secret}}
        """.formatted(store), "", "", "")).node().httpTls();

    assertEquals(store, tls.pkcs12());
    assertEquals("secret", tls.password());
    assertEquals(Set.of("TLSv1.2", "TLSv1.3"), tls.protocols());
    assertEquals(ServerTls.ClientAuth.NONE, tls.clientAuth());
  }

  @Test
  void listenerTlsErrorsNameTheFieldAndTheMissingFile(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    Map<String, String> errors = errors(document("""
        node:
          http: {tls: {cert: /nonexistent/cert.pem, key: "%s", protocols: [TLSv1.1], client_auth: request}}
          admin: {tls: {cert: a, key: b}}
        """.formatted(key), "", "", ""));

    assertTrue(errors.get("node.http.tls.cert").contains("no readable file at '/nonexistent/cert.pem'"), errors.toString());
    assertTrue(errors.get("node.http.tls.protocols").contains("TLSv1.2, TLSv1.3"), errors.toString());
    assertTrue(errors.get("node.http.tls.ca").contains("is required with client_auth request"), errors.toString());
    assertTrue(errors.get("node.admin.tls").contains("unknown field"), errors.toString());
  }

  @Test
  void listenerTlsNeedsPemOrPkcs12ButNotBoth(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertTrue(errors(document("node:\n  http: {tls: {protocols: [TLSv1.2]}}\n", "", "", ""))
        .get("node.http.tls").contains("either cert and key"));
    assertTrue(errors(document("node:\n  http: {tls: {cert: \"%s\", key: \"%s\", pkcs12: \"%s\"}}\n"
        .formatted(file, file, file), "", "", "")).get("node.http.tls").contains("either cert and key"));
  }

  @Test
  void upstreamTlsPinsACa(@TempDir Path dir) {
    Path ca = new TestCertificates(dir).authority("ca").cert();
    UpstreamTls tls = parser.parse(document("", ", tls: {ca: \"%s\", server_name: api.internal}".formatted(ca), "", ""))
        .upstreams().get("u").tls();

    assertEquals(new UpstreamTls(ca, "api.internal", true), tls);
  }

  @Test
  void upstreamTlsErrors() {
    Map<String, String> errors = errors(document("", ", tls: {ca: missing.pem, server_name: \"a b\", verify: false}", "", ""));

    assertEquals("'missing.pem' is not a readable PEM file of CA certificates", errors.get("upstreams.u.tls.ca"));
    assertTrue(errors.get("upstreams.u.tls.server_name").contains("host name"), errors.toString());
    assertTrue(errors.get("upstreams.u.tls.verify").contains("unknown field"), errors.toString());
  }

  /** The error of an upstream {@code tls.ca} at {@code path}, or null when the document parses. */
  private String caError(Path path) {
    String document = document("", ", tls: {ca: \"%s\"}".formatted(path), "", "");
    try {
      parser.parse(document);
      return null;
    } catch (InvalidConfigException e) {
      return errors(document).get("upstreams.u.tls.ca");
    }
  }

  @Test
  void aCaMustBeAPemFileOfCertificatesAndTheErrorNeverEchoesTheFile(@TempDir Path dir) throws IOException {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates.Issued ca = certs.authority("ca");
    TestCertificates.Issued other = certs.authority("other");
    Path bundle = Files.writeString(dir.resolve("bundle.pem"), "# two CAs\n" + Files.readString(ca.cert())
        + Files.readString(ca.key()) + "subject=other\n" + Files.readString(other.cert()));
    assertNull(caError(bundle), "certificates, with comments and a key beside them");

    Path notPem = Files.writeString(dir.resolve("passwd"), "root:x:0:0:secret-marker\n");
    Path brokenBlock = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nc2VjcmV0LW1hcmtlcg==\n-----END CERTIFICATE-----\n");
    Path unterminated = Files.writeString(dir.resolve("cut.pem"),
        Files.readString(ca.cert()).replace("-----END CERTIFICATE-----", ""));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    for (Path unfit : List.of(notPem, ca.key(), brokenBlock, unterminated, empty, dir, dir.resolve("missing.pem"),
        Path.of("/etc/passwd"))) {
      assertEquals("'" + unfit + "' is not a readable PEM file of CA certificates", caError(unfit), unfit.toString());
    }
  }

  @Test
  void theListenersClientCaIsCheckedTheSameWay(@TempDir Path dir) throws IOException {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Map<String, String> errors = errors(document("""
        node:
          http: {tls: {cert: "%s", key: "%s", client_auth: request, ca: "%s"}}
        """.formatted(cert, cert, cert), "", "", ""));

    assertEquals("'" + cert + "' is not a readable PEM file of CA certificates", errors.get("node.http.tls.ca"));
  }
}
