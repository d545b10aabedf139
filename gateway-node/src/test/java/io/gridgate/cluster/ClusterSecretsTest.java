package io.gridgate.cluster;

import static io.gridgate.testing.ClusterFixture.UPSTREAMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.SecretResolver;
import io.gridgate.testing.ClusterFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pushed document travels with its secret references; every member resolves them with its own
 * environment, so the same document gives each member its own secret, and a member that cannot
 * resolve one refuses the version (lagging, with the field and the reference), keeps serving
 * the one before and applies it on its own once it can.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSecretsTest {
  private static final String SECRET_0 = "member-zero-secret-0123456789abcdefgh";
  private static final String SECRET_1 = "member-one-secret-0123456789abcdefghi";
  private static final String JWT_ROUTE = UPSTREAMS + """
      jwt_issuers:
        main: {issuer: "https://idp.test", algorithms: [HS256], keys: [{algorithm: HS256, secret: "${env:JWT_SECRET}"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a, auth: {jwt: {issuers: [main]}}}
      """;

  @TempDir
  Path dir;
  private ClusterFixture cluster;
  private Vertx tokens;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new ClusterFixture(dir, 2, 2);
    tokens = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    cluster.close();
    ClusterFixture.await(tokens.close());
  }

  private String token(String secret) {
    JWTAuth issuer = JWTAuth.create(tokens, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return issuer.generateToken(new JsonObject().put("sub", "alice"),
        new JWTOptions().setAlgorithm("HS256").setIssuer("https://idp.test").setExpiresInMinutes(10));
  }

  private int status(int node, String token) {
    var request = cluster.client.get(cluster.node(node).httpPort(), "127.0.0.1", "/a").bearerTokenAuthentication(token);
    return ClusterFixture.await(request.send()).statusCode();
  }

  @Test
  void eachMemberResolvesTheReferencesOfAPushWithItsOwnEnvironment() {
    cluster.startNode(0, SecretResolver.withEnvironment(Map.of("JWT_SECRET", SECRET_0, "CLIENT_SECRET", "only-on-zero")));
    Map<String, String> memberOneEnvironment = new ConcurrentHashMap<>(Map.of("JWT_SECRET", SECRET_1));
    cluster.startNode(1, SecretResolver.withEnvironment(memberOneEnvironment));

    HttpResponse<Buffer> pushed = cluster.push(0, 1, JWT_ROUTE);
    assertEquals(200, pushed.statusCode(), pushed.bodyAsString());
    assertEquals(new JsonArray(), pushed.bodyAsJsonObject().getJsonArray("lagging"));
    assertEquals(200, status(0, token(SECRET_0)));
    assertEquals(401, status(0, token(SECRET_1)));
    assertEquals(200, status(1, token(SECRET_1)), "the same document, member 1's own secret");
    assertEquals(401, status(1, token(SECRET_0)));
    String shown = cluster.admin(1, HttpMethod.GET, "/admin/config", null).bodyAsJsonObject().getString("document");
    assertTrue(shown.contains("${env:JWT_SECRET}"), shown);

    HttpResponse<Buffer> partly = cluster.push(0, 2, JWT_ROUTE + """
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: "${env:CLIENT_SECRET}"}
        """);
    assertEquals(200, partly.statusCode(), partly.bodyAsString());
    String memberOne = cluster.node(1).configService().memberId();
    assertEquals(new JsonArray().add(memberOne), partly.bodyAsJsonObject().getJsonArray("lagging"));
    JsonObject ack = partly.bodyAsJsonObject().getJsonArray("members").stream().map(JsonObject.class::cast)
        .filter(m -> memberOne.equals(m.getString("member"))).findFirst().orElseThrow();
    assertTrue(ack.getString("reason").contains(
        "oauth2_servers.corp.client_secret: ${env:CLIENT_SECRET}: environment variable CLIENT_SECRET is not set"), ack.encode());
    assertEquals(3, cluster.node(0).configService().appliedVersion());
    assertEquals(2, cluster.node(1).configService().appliedVersion());
    assertEquals(200, status(1, token(SECRET_1)), "member 1 keeps serving the version before");

    memberOneEnvironment.put("CLIENT_SECRET", "now-on-one-too");
    ClusterFixture.awaitCondition("member 1 applies version 3 once it can resolve it",
        () -> cluster.node(1).configService().appliedVersion() == 3);
  }
}
