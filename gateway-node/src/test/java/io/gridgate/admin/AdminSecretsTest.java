package io.gridgate.admin;

import static io.gridgate.testing.GatewayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.SecretFields;
import io.gridgate.config.SecretResolver;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through a running node's admin API: references are resolved by the node (a JWT route
 * whose secret is a file verifies real tokens), every read path shows references as written and
 * literal secrets as {@code <redacted>}, a redacted document is refused, the disk snapshot is
 * owner-only and holds the document as pushed, and no log line carries a secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminSecretsTest {
  private static final String JWT_SECRET = "jwt-secret-from-a-file-0123456789abcdef";
  private static final String CLIENT_SECRET = "client-secret-from-the-environment";
  private static final String JWT_LITERAL = "jwt-literal-secret-0123456789abcdefghij";
  private static final String CLIENT_LITERAL = "client-literal-secret";
  private static final String HEADER_LITERAL = "Bearer upstream-literal-key";
  private static final List<String> SECRETS = List.of(JWT_SECRET, CLIENT_SECRET, JWT_LITERAL, CLIENT_LITERAL, HEADER_LITERAL);

  @TempDir
  Path dir;
  private Vertx vertx;
  private GatewayFixture gw;
  private TestUpstream app;
  private LogCapture logs;
  private Path snapshot;
  private String referencesDocument;

  @BeforeEach
  void setUp() throws IOException {
    vertx = Vertx.vertx();
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    logs = LogCapture.onRootLogger();
    Path jwtSecretFile = Files.writeString(dir.resolve("jwt-secret"), JWT_SECRET + "\n");
    referencesDocument = document("${file:" + jwtSecretFile + "}", "${env:CLIENT_SECRET}", "${env:UPSTREAM_KEY}");
    snapshot = dir.resolve("data").resolve("snapshot.json");
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml() + referencesDocument,
        SecretResolver.withEnvironment(Map.of("CLIENT_SECRET", CLIENT_SECRET, "UPSTREAM_KEY", "Bearer from-env")), snapshot);
  }

  @AfterEach
  void tearDown() {
    logs.close();
    await(vertx.close());
    for (String secret : SECRETS) {
      assertEquals(List.of(), logs.linesWith(secret), "log lines with a secret");
    }
  }

  private String document(String jwtSecret, String clientSecret, String upstreamAuthorization) {
    return """
        upstreams:
          app: {targets: [{address: "%s"}]}
        jwt_issuers:
          main: {issuer: "https://idp.test", algorithms: [HS256], keys: [{kid: k1, algorithm: HS256, secret: "%s"}]}
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: "%s"}
        routes:
          - id: partner
            match: {path: {prefix: /partner}}
            upstream: app
            request_headers: {set: {Authorization: "%s"}}
          - {id: secure, match: {path: {prefix: /secure}}, upstream: app, auth: {jwt: {issuers: [main]}}}
        """.formatted(app.address(), jwtSecret, clientSecret, upstreamAuthorization);
  }

  private int secureStatus(String signingSecret) {
    String token = TestTokens.hs256(signingSecret, "k1", TestTokens.claims("https://idp.test", "alice", null));
    return gw.send(HttpMethod.GET, "/secure/x", Map.of("Authorization", "Bearer " + token), null).status();
  }

  private static void assertNoSecretIn(String text) {
    for (String secret : SECRETS) {
      assertFalse(text.contains(secret), "'" + secret + "' in " + text);
    }
  }

  @Test
  void aJwtRouteWhoseSecretIsAFileVerifiesRealTokens() {
    assertEquals(200, secureStatus(JWT_SECRET));
    assertEquals(401, secureStatus(JWT_SECRET.replace('0', '1')));
    assertEquals(401, gw.get("/secure/x").status());
  }

  @Test
  void anUpstreamCredentialComesFromTheNodesEnvironment() {
    assertEquals(200, gw.get("/partner/x").status());
    assertEquals("Bearer from-env", app.last().header("Authorization"));
  }

  @Test
  void aDocumentWithReferencesIsShownAsPushed() {
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/config?base_version=1", referencesDocument).status());
    JsonObject current = gw.admin(HttpMethod.GET, "/admin/config", null).json();
    assertEquals(referencesDocument, current.getString("document"));
  }

  @Test
  void everyReadPathShowsLiteralSecretsRedacted() {
    String literals = document(JWT_LITERAL, CLIENT_LITERAL, HEADER_LITERAL);
    GatewayFixture.Reply validated = gw.admin(HttpMethod.POST, "/admin/config/validate", literals);
    assertEquals(200, validated.status(), validated.bodyString());
    GatewayFixture.Reply pushed = gw.admin(HttpMethod.PUT, "/admin/config?base_version=1", literals);
    assertEquals(200, pushed.status(), pushed.bodyString());
    assertEquals(200, secureStatus(JWT_LITERAL), "the literal secret is the one in use");

    GatewayFixture.Reply current = gw.admin(HttpMethod.GET, "/admin/config", null);
    String shown = current.json().getString("document");
    assertTrue(shown.contains("secret: " + SecretFields.REDACTED) && shown.contains("client_secret: " + SecretFields.REDACTED)
        && shown.contains("Authorization: " + SecretFields.REDACTED), shown);
    GatewayFixture.Reply versions = gw.admin(HttpMethod.GET, "/admin/config/versions", null);
    GatewayFixture.Reply diff = gw.admin(HttpMethod.GET, "/admin/config/diff?from=1&to=2", null);
    assertEquals(new JsonArray().add("main"), diff.json().getJsonObject("jwt_issuers").getJsonArray("changed"));
    for (GatewayFixture.Reply reply : List.of(validated, pushed, current, versions, diff)) {
      assertEquals(200, reply.status(), reply.bodyString());
      assertNoSecretIn(reply.bodyString());
    }
  }

  @Test
  void aRedactedDocumentIsRefusedNamingItsFieldsAndARollbackKeepsTheLiterals() {
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/config?base_version=1",
        document(JWT_LITERAL, CLIENT_LITERAL, HEADER_LITERAL)).status());
    String dumped = gw.admin(HttpMethod.GET, "/admin/config", null).json().getString("document");

    GatewayFixture.Reply refused = gw.admin(HttpMethod.PUT, "/admin/config?base_version=2", dumped);
    assertEquals(400, refused.status(), refused.bodyString());
    List<String> paths = refused.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")).toList();
    assertEquals(List.of("jwt_issuers.main.keys[0].secret", "oauth2_servers.corp.client_secret",
        "routes[0].request_headers.set.Authorization"), paths);
    assertTrue(refused.json().getJsonArray("errors").getJsonObject(0).getString("reason").contains("stand-in"));
    assertEquals(2, gw.node().configService().appliedVersion(), "a refused push changes nothing");

    assertEquals(200, gw.admin(HttpMethod.POST, "/admin/config/rollback/1", null).status());
    assertEquals(200, gw.admin(HttpMethod.POST, "/admin/config/rollback/2", null).status(),
        "the grid keeps the literal secrets as pushed, so rolling back to them works");
    assertEquals(200, secureStatus(JWT_LITERAL));
  }

  @Test
  void anUnresolvableReferenceIsRefusedNamingTheFieldAndTheReference() {
    GatewayFixture.Reply refused = gw.admin(HttpMethod.PUT, "/admin/config?base_version=1",
        document(JWT_LITERAL, "${env:NOT_ON_THIS_NODE}", HEADER_LITERAL));
    assertEquals(400, refused.status(), refused.bodyString());
    JsonObject error = refused.json().getJsonArray("errors").getJsonObject(0);
    assertEquals("oauth2_servers.corp.client_secret", error.getString("path"));
    assertEquals("${env:NOT_ON_THIS_NODE}: environment variable NOT_ON_THIS_NODE is not set", error.getString("reason"));
    assertNoSecretIn(refused.bodyString());
  }

  @Test
  void theSnapshotIsOwnerOnlyAndHoldsTheDocumentAsPushed() throws IOException {
    GatewayFixture.awaitCondition("the snapshot of version 1", GatewayFixture.WAIT, () -> Files.exists(snapshot));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
    String saved = Files.readString(snapshot);
    assertTrue(saved.contains("${env:CLIENT_SECRET}") && saved.contains("${file:"), saved);
    assertNoSecretIn(saved);

    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/config?base_version=1",
        document(JWT_LITERAL, CLIENT_LITERAL, HEADER_LITERAL)).status());
    GatewayFixture.awaitCondition("the snapshot of version 2", GatewayFixture.WAIT,
        () -> readQuietly(snapshot).contains("\"version\":2"));
    assertTrue(readQuietly(snapshot).contains(CLIENT_LITERAL), "a literal secret is stored as pushed");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
