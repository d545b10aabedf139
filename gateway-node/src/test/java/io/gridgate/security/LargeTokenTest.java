package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Oversized tokens when the header limit lets them through (max_header_size 64KB): garbage of
 * 10 KB reaches the verifier and gets a 401, tokens over 16 KB are refused before decoding; never
 * a 500, never a hang, never the upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LargeTokenTest {

  @Test
  void oversizedTokensAre401(Vertx vertx) {
    GatewayFixture gw = new GatewayFixture(vertx);
    TestUpstream app = gw.echoUpstream("app");
    String pem = TestTokens.pemForYaml(TestTokens.rsa().getPublic());
    gw.startGateway(GatewayFixture.withApp(app, "limits: {max_header_size: 64KB}") + """
        jwt_issuers:
          main: {issuer: x, algorithms: [RS256], keys: [{algorithm: RS256, pem: "%s"}]}
        routes:
          - {id: api, match: {path: {prefix: /}}, upstream: app, auth: {jwt: {issuers: [main]}}}
        """.formatted(pem));
    assertChallenge(gw, "x".repeat(10 * 1024), "malformed token");
    assertChallenge(gw, "eyJhbGciOiJSUzI1NiJ9." + "A".repeat(10 * 1024) + ".sig", "malformed token");
    assertChallenge(gw, "a.b." + "c".repeat(20 * 1024), "token too long");
    assertEquals(0, app.requests());
  }

  private static void assertChallenge(GatewayFixture gw, String token, String description) {
    GatewayFixture.Reply reply = gw.send(HttpMethod.GET, "/x", Map.of("Authorization", "Bearer " + token), null);
    assertEquals(401, reply.status(), reply.bodyString());
    assertTrue(reply.header("WWW-Authenticate").contains("error_description=\"" + description + "\""),
        reply.header("WWW-Authenticate"));
  }
}
