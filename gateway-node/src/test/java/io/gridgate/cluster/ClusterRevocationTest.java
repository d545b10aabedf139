package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.security.RevocationList;
import io.gridgate.testing.ClusterFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Revocations through the admin API of one node reach every node's local replica: measured over
 * 200 revocations made on node A and watched on node C (3 real Hazelcast members in one JVM).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterRevocationTest extends ThreeNodeClusterTest {

  @Test
  void aRevocationMadeOnNodeAIsEnforcedOnNodeCWithinMilliseconds() {
    RevocationList onC = cluster.node(2).revocations();
    long expires = System.currentTimeMillis() / 1000 + 3600;
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String jti = "token-" + i;
      long start = System.nanoTime();
      HttpResponse<Buffer> revoked = cluster.admin(0, HttpMethod.POST, "/admin/revocations",
          new JsonObject().put("jti", jti).put("expires_at", expires).encode());
      assertEquals(201, revoked.statusCode(), revoked.bodyAsString());
      while (!onC.isRevokedToken(jti, System.currentTimeMillis())) {
        Thread.onSpinWait();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, jti + " never reached node C");
      }
      micros.add((System.nanoTime() - start) / 1000);
    }
    Collections.sort(micros);
    long p50 = micros.get(99);
    long p99 = micros.get(197);
    System.out.printf("revocation A -> C over 200 (admin call included): p50 %d us, p99 %d us, max %d us%n",
        p50, p99, micros.get(199));
    // usually 30–70 ms; the bound of 1 s (not 250 ms) leaves room for a machine whose cores other
    // builds share; a fall-back to the digest re-reads is caught by ClusterReconciliationTest, which
    // checks that a replica whose listener works is never found stale
    assertTrue(p99 < 1_000_000, "p99 " + p99 + " us");
    assertFalse(onC.isRevokedToken("token-other", System.currentTimeMillis()));
  }

  @Test
  void aSubjectIsRevokedForTokensIssuedBeforeTheGivenTime() {
    long now = System.currentTimeMillis();
    HttpResponse<Buffer> revoked = cluster.admin(1, HttpMethod.POST, "/admin/revocations",
        new JsonObject().put("subject", "alice").put("issued_before", now / 1000).encode());
    assertEquals(201, revoked.statusCode(), revoked.bodyAsString());
    RevocationList onA = cluster.node(0).revocations();
    ClusterFixture.awaitCondition("the subject reached node A", () -> onA.isRevokedSubject("alice", now - 60_000, now));
    assertFalse(onA.isRevokedSubject("alice", now + 5_000, now), "a token issued later is not revoked");
    assertFalse(onA.isRevokedSubject("bob", now - 60_000, now));
    JsonObject listed = cluster.admin(2, HttpMethod.GET, "/admin/revocations", null).bodyAsJsonObject();
    assertEquals("alice", listed.getJsonArray("revocations").getJsonObject(0).getString("subject"));
  }

  @Test
  void invalidRevocationsAreRefusedWithTheReason() {
    String[][] cases = {
        {"{}", "give exactly one of 'jti' or 'subject'"},
        {"{\"jti\": \"a\", \"subject\": \"b\"}", "give exactly one of 'jti' or 'subject'"},
        {"{\"jti\": \"\"}", "'jti' must be a non-empty string"},
        {"{\"jti\": \"a\", \"expires_at\": 1}", "'expires_at' must be in the future"},
        {"{\"jti\": \"a\", \"issued_before\": 1}", "'issued_before' applies to a subject"},
        {"{\"jti\": \"a\", \"color\": 1}", "unknown field 'color'"},
        {"[1, 2]", "the body must be a JSON object"},
        {"not json", "the body must be a JSON object"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> refused = cluster.admin(0, HttpMethod.POST, "/admin/revocations", c[0]);
      assertEquals(400, refused.statusCode(), c[0]);
      assertEquals("invalid_revocation", refused.bodyAsJsonObject().getString("error"), c[0]);
      assertTrue(refused.bodyAsJsonObject().getString("message").contains(c[1]), c[0] + ": " + refused.bodyAsString());
    }
    assertEquals(0, cluster.admin(0, HttpMethod.GET, "/admin/revocations", null).bodyAsJsonObject()
        .getJsonArray("revocations").size(), "nothing was stored");
  }
}
