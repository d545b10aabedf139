package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several X-Forwarded-For lines from a trusted proxy are one list (RFC 9110 5.3): the client is the
 * right-most untrusted entry of the last lines, so an address a client forges in its own line
 * cannot pass an allow list or dodge a deny list when a proxy appends the real one on a new line
 * (HAProxy {@code option forwardfor}). Malformed entries are untrusted: chosen as the client, and
 * refused by any IP rule. The gateway is reached from 127.0.0.1, the trusted proxy.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardedForChainTest {
  private GatewayFixture gw;
  private RecordingUpstream app;
  private Path accessLog;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    gw = new GatewayFixture(vertx);
    app = RecordingUpstream.start();
    accessLog = dir.resolve("access.log");
    gw.startGateway(GatewayFixture.nodeYaml("trusted_proxies: [127.0.0.1/32, 10.9.0.0/16]",
        "access_log: {enabled: true, output: \"" + accessLog + "\", sample_ratio: 1.0}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: office, match: {path: {prefix: /office}}, upstream: app, ip_rules: {allow: [10.1.0.0/16]}}
          - {id: public, match: {path: {prefix: /public}}, upstream: app, ip_rules: {deny: [203.0.113.0/24]}}
          - {id: open, match: {path: {prefix: /open}}, upstream: app}
        """.formatted(app.address()));
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  /** A GET of {@code path} carrying one X-Forwarded-For line per entry of {@code lines}, in order. */
  private RawHttp.Response get(String path, String... lines) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n");
    for (String line : lines) {
      request.append("X-Forwarded-For: ").append(line).append("\r\n");
    }
    return gw.raw(request.append("Connection: close\r\n\r\n").toString());
  }

  /** The status of the request, after checking that a refusal is address_denied and never reached the upstream. */
  private int status(String path, String... lines) {
    int before = app.count();
    RawHttp.Response reply = get(path, lines);
    if (reply.status() == 403) {
      assertEquals("address_denied", new JsonObject(reply.body()).getString("error"));
      assertEquals(before, app.count(), "a refused request never reaches the upstream");
    }
    return reply.status();
  }

  /** The client address the access log recorded for the {@code count}-th request. */
  private String loggedClient(int count) {
    List<JsonObject> lines = GatewayFixture.awaitJsonLines(accessLog, count);
    return lines.get(count - 1).getString("client");
  }

  @Test
  void anAllowedAddressForgedInTheClientsOwnLineDoesNotPassAnAllowList() {
    assertEquals(403, status("/office", "10.1.2.3", "203.0.113.9"), "HAProxy appended the real address on a new line");
    assertEquals(403, status("/office", "10.1.2.3", "203.0.113.9, 10.9.0.1"), "and a trusted hop after it");
    assertEquals(200, status("/office", "203.0.113.9", "10.1.2.3"), "the office address is the last untrusted one");
    assertEquals(200, status("/office", "10.1.2.3, 10.9.0.1", "10.9.0.2"), "trusted hops over several lines");
  }

  @Test
  void aDeniedAddressCannotHideBehindAForgedFirstLine() {
    assertEquals(403, status("/public", "198.51.100.7", "203.0.113.9"));
    assertEquals(403, status("/public", "198.51.100.7, 203.0.113.9", "10.9.0.1", ""));
    assertEquals(200, status("/public", "203.0.113.9", "198.51.100.7"), "the forged entry is left of the real one");
  }

  @Test
  void everyLineIsForwardedAsOneListWithThePeerAppended() {
    assertEquals(200, status("/open", "198.51.100.7", "203.0.113.9, 10.9.0.1"));
    assertEquals(List.of("198.51.100.7, 203.0.113.9, 10.9.0.1, 127.0.0.1"), app.last().headers("X-Forwarded-For"));
    assertEquals("203.0.113.9", loggedClient(1));
  }

  @Test
  void emptyEntriesAreSkippedAndAChainOfTrustedHopsYieldsItsLeftMostEntry() {
    assertEquals(200, status("/open", "203.0.113.9, ,", " "));
    assertEquals("203.0.113.9", loggedClient(1));
    assertEquals(200, status("/open", "10.9.0.7", "10.9.0.1"));
    assertEquals("10.9.0.7", loggedClient(2));
    assertEquals(200, status("/open", ""));
    assertEquals("127.0.0.1", loggedClient(3), "no entry at all: the peer");
  }

  @Test
  void aMalformedEntryIsTheClientAndAnyIpRuleRefusesIt() {
    assertEquals(200, status("/open", "10.1.2.3", "unknown"));
    assertEquals("unknown", loggedClient(1));
    assertEquals(403, status("/office", "10.1.2.3", "unknown"), "not in the allow list");
    assertEquals(403, status("/public", "10.1.2.3", "203.0.113.9:4711"), "not an address a deny list could judge");
    assertEquals(403, status("/public", "[2001:db8::1]"));
    assertEquals(200, status("/public", "garbage", "198.51.100.7"), "garbage left of the client is never read");
  }
}
