package io.gridgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IP allow and deny lists, global and per route, on the trusted client address: refused clients
 * get 403 address_denied and never reach the upstream, before CORS answers anything.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpFilterTest {
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
  }

  private void start(String node, String globalRules, String... routes) {
    gw.startGateway(node + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        %s
        routes:
        """.formatted(app.address(), globalRules) + String.join("\n", routes) + "\n");
  }

  private int statusFrom(String uri, String forwardedFor) {
    GatewayFixture.Reply reply = forwardedFor == null ? gw.get(uri)
        : gw.send(HttpMethod.GET, uri, Map.of("X-Forwarded-For", forwardedFor), null);
    if (reply.status() == 403) {
      assertEquals("address_denied", reply.json().getString("error"));
    }
    return reply.status();
  }

  @Test
  void globalDenyListRefusesEveryRouteWithoutReachingTheUpstream() {
    start(GatewayFixture.nodeYaml(), "ip_rules: {deny: [127.0.0.0/8]}",
        "  - {id: a, match: {path: {prefix: /a}}, upstream: app}",
        "  - {id: b, match: {path: {prefix: /b}}, upstream: app}");

    assertEquals(403, statusFrom("/a", null));
    assertEquals(403, statusFrom("/b", null));
    assertEquals(0, app.requests());
  }

  @Test
  void routeAllowListAdmitsOnlyItsBlocks() {
    start(GatewayFixture.nodeYaml(), "",
        "  - {id: open, match: {path: {prefix: /open}}, upstream: app}",
        "  - {id: office, match: {path: {prefix: /office}}, upstream: app, ip_rules: {allow: [10.1.0.0/16]}}",
        "  - {id: local, match: {path: {prefix: /local}}, upstream: app, ip_rules: {allow: [127.0.0.1]}}");

    assertEquals(200, statusFrom("/open", null));
    assertEquals(403, statusFrom("/office", null));
    assertEquals(200, statusFrom("/local", null));
    assertEquals(2, app.requests());
  }

  @Test
  void denyWinsOverAllowAndBothGlobalAndRouteAllowListsMustAdmit() {
    start(GatewayFixture.nodeYaml(), "ip_rules: {allow: [127.0.0.0/8]}",
        "  - {id: all, match: {path: {prefix: /all}}, upstream: app}",
        "  - {id: narrow, match: {path: {prefix: /narrow}}, upstream: app, ip_rules: {allow: [10.0.0.0/8]}}",
        "  - {id: denied, match: {path: {prefix: /denied}}, upstream: app, ip_rules: {allow: [127.0.0.1], deny: [127.0.0.1/32]}}");

    assertEquals(200, statusFrom("/all", null));
    assertEquals(403, statusFrom("/narrow", null));
    assertEquals(403, statusFrom("/denied", null));
    assertEquals(1, app.requests());
  }

  @Test
  void behindATrustedProxyTheForwardedClientAddressIsFilteredIncludingIpv6Blocks() {
    start(GatewayFixture.nodeYaml("trusted_proxies: [127.0.0.1/32]"), "ip_rules: {deny: [\"2001:db8:bad::/48\"]}",
        "  - {id: v6, match: {path: {prefix: /}}, upstream: app, ip_rules: {allow: [\"2001:db8::/32\", 198.51.100.0/24]}}");

    assertEquals(200, statusFrom("/x", "2001:db8:1::7"));
    assertEquals(200, statusFrom("/x", "198.51.100.9"));
    assertEquals(403, statusFrom("/x", "2001:db8:bad::7"));
    assertEquals(403, statusFrom("/x", "2001:db9::1"));
    assertEquals(403, statusFrom("/x", "203.0.113.5"));
    assertEquals(403, statusFrom("/x", null)); // the proxy itself, 127.0.0.1, is not allowed
    assertEquals(2, app.requests());
  }

  @Test
  void aRefusedAddressGetsNoPreflightAnswerAndNoCorsHeaders() {
    start(GatewayFixture.nodeYaml(), "",
        "  - {id: office, match: {path: {prefix: /}}, upstream: app, ip_rules: {allow: [10.1.0.0/16]},"
            + " cors: {allow_origins: [\"https://app.example\"]}}");

    GatewayFixture.Reply preflight = gw.send(HttpMethod.OPTIONS, "/x",
        Map.of("Origin", "https://app.example", "Access-Control-Request-Method", "GET"), null);
    GatewayFixture.Reply actual = gw.send(HttpMethod.GET, "/x", Map.of("Origin", "https://app.example"), null);

    for (GatewayFixture.Reply reply : new GatewayFixture.Reply[] {preflight, actual}) {
      assertEquals(403, reply.status());
      assertEquals("address_denied", reply.json().getString("error"));
      assertNull(reply.header("Access-Control-Allow-Origin"));
    }
    assertEquals(0, app.requests());
  }

  @Test
  void anUntrustedPeerCannotSpoofAnAllowedAddress() {
    start(GatewayFixture.nodeYaml(), "",
        "  - {id: office, match: {path: {prefix: /}}, upstream: app, ip_rules: {allow: [10.1.0.0/16]}}");

    assertEquals(403, statusFrom("/x", "10.1.2.3"));
    assertEquals(0, app.requests());
  }
}
