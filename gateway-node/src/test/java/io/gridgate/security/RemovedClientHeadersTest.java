package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client headers a route's policies remove (the token's own header, spoofed identity headers,
 * in any case and however often sent) are not copied to the upstream request at all, on plain
 * HTTP/1.1 as in the benchmark's full chain; everything else the client sent arrives, and a route
 * that renames such a header first still forwards it under its new name.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemovedClientHeadersTest {
  private static final String SECRET = "removed-client-headers-secret-0123456789";
  private GatewayFixture gw;
  private RecordingUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    gw.startGateway(GatewayFixture.nodeYaml() + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        jwt_issuers:
          hs:
            issuer: removed-test
            algorithms: [HS256]
            keys: [{kid: hs, algorithm: HS256, secret: "%s"}]
            token: {header: X-HS-Token}
        routes:
          - {id: chain, match: {path: {prefix: /chain}}, upstream: app,
             auth: {jwt: {issuers: [hs]}, identity_headers: {sub: X-User-Id, roles: X-User-Roles}}}
          - {id: renamed, match: {path: {prefix: /renamed}}, upstream: app,
             auth: {jwt: {issuers: [hs]}, identity_headers: {sub: X-User-Id}},
             request_headers: {rename: {X-HS-Token: X-Token-Seen}}}
        """.formatted(app.address(), SECRET));
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  private RecordingUpstream.Recorded forward(String target, String token) {
    RawHttp.Response reply = RawHttp.exchange(gw.port(), "GET " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "x-user-id: mallory\r\n"
        + "X-Custom: kept\r\n"
        + "X-HS-Token: " + token + "\r\n"
        + "X-USER-ID: eve\r\n"
        + "X-User-Roles: admin\r\n"
        + "Accept: application/json\r\n"
        + "Connection: close\r\n\r\n");
    assertEquals(200, reply.status(), reply.body());
    return app.last();
  }

  @Test
  void theTokenHeaderAndSpoofedIdentityHeadersNeverReachTheUpstream() {
    String token = TestTokens.hs256(SECRET, "hs", TestTokens.claims("removed-test", "alice", null));
    for (int i = 0; i < 3; i++) { // the first verifies the token, the later ones find it verified
      RecordingUpstream.Recorded up = forward("/chain/orders", token);
      assertNull(up.header("X-HS-Token"), "the credential is not forwarded");
      assertEquals(List.of("alice"), up.headers("X-User-Id"), "every spoofed copy is gone, the identity set");
      assertEquals(List.of(), up.headers("X-User-Roles"), "no roles claim: the client's copy is still removed");
      assertEquals("kept", up.header("X-Custom"));
      assertEquals("application/json", up.header("Accept"));
      assertEquals(1, up.headers("Host").size());
    }
  }

  @Test
  void aRouteThatRenamesTheTokenHeaderForwardsItUnderTheNewName() {
    String token = TestTokens.hs256(SECRET, "hs", TestTokens.claims("removed-test", "bob", null));
    RecordingUpstream.Recorded up = forward("/renamed/orders", token);
    assertNull(up.header("X-HS-Token"));
    assertEquals(token, up.header("X-Token-Seen"), "renamed before the policies' removal, as configured");
    assertEquals(List.of("bob"), up.headers("X-User-Id"));
    assertEquals("admin", up.header("X-User-Roles"), "not an identity header of this route");
  }
}
