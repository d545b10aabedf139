package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** X-Forwarded-For/-Proto/-Host from untrusted clients and trusted proxies, and the client address consistent hashing sees. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardedHeadersTest {
  private static final Map<String, String> SPOOFED = Map.of(
      "X-Forwarded-For", "203.0.113.7, 198.51.100.1",
      "X-Forwarded-Proto", "https",
      "X-Forwarded-Host", "public.example",
      "Forwarded", "for=203.0.113.7;proto=https",
      "X-Real-IP", "203.0.113.7",
      "X-Forwarded-Port", "443");

  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
  }

  /** The {@code node} section with {@code trustedProxies} as its only extra line, or none when it is empty. */
  private static String nodeYaml(String trustedProxies) {
    return GatewayFixture.nodeYaml(trustedProxies.isEmpty() ? new String[0] : new String[] {trustedProxies});
  }

  private String config(String trustedProxies, TestUpstream app) {
    return nodeYaml(trustedProxies) + """
        upstreams:
          app: {targets: [{address: "%s"}]}
        routes:
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(app.address());
  }

  /** Starts the gateway with {@code trustedProxies}, GETs with the {@link #SPOOFED} headers and returns what the upstream received. */
  private TestUpstream.Received forwardSpoofedRequest(String trustedProxies) {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(config(trustedProxies, app));

    assertEquals(200, gw.send(HttpMethod.GET, "/x", SPOOFED, null).status());
    return app.last();
  }

  /** Asserts that {@code up} received exactly one value of each X-Forwarded-* header, these ones. */
  private static void assertForwardedHeaders(TestUpstream.Received up, String forwardedFor, String proto, String host) {
    assertEquals(List.of(forwardedFor), up.headers().getAll("X-Forwarded-For"));
    assertEquals(List.of(proto), up.headers().getAll("X-Forwarded-Proto"));
    assertEquals(List.of(host), up.headers().getAll("X-Forwarded-Host"));
  }

  @Test
  void untrustedClientsForwardedHeadersAreReplacedWithTheConnectionsFacts() {
    TestUpstream.Received up = forwardSpoofedRequest("");

    assertForwardedHeaders(up, "127.0.0.1", "http", "127.0.0.1:" + gw.port());
    for (String forged : List.of("Forwarded", "X-Real-IP", "X-Forwarded-Port")) {
      assertEquals(List.of(), up.headers().getAll(forged), forged + " from an untrusted client must not reach the upstream");
    }
  }

  @Test
  void withoutClientForwardedHeadersTheGatewayWritesThem() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(config("trusted_proxies: [127.0.0.1/32]", app));

    assertEquals(200, gw.raw("GET /x HTTP/1.1\r\nHost: front.example\r\n\r\n").status());

    assertForwardedHeaders(app.last(), "127.0.0.1", "http", "front.example");
  }

  @Test
  void trustedProxysForwardedForIsAppendedToAndProtoAndHostKept() {
    TestUpstream.Received up = forwardSpoofedRequest("trusted_proxies: [127.0.0.1/32]");

    assertForwardedHeaders(up, "203.0.113.7, 198.51.100.1, 127.0.0.1", "https", "public.example");
  }

  @Test
  void trustedProxyIsMatchedByCidrBlockNotByExactAddress() {
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(config("trusted_proxies: [127.0.0.0/8]", app));

    gw.send(HttpMethod.GET, "/x", Map.of("X-Forwarded-For", "192.0.2.10"), null);

    assertEquals("192.0.2.10, 127.0.0.1", app.last().header("X-Forwarded-For"));
  }

  /** Which of three targets each of 24 forwarded client addresses lands on, twice over. */
  private Map<String, String> hashTargetsByForwardedClient(String trustedProxies) {
    TestUpstream a = gw.echoUpstream("a");
    TestUpstream b = gw.echoUpstream("b");
    TestUpstream c = gw.echoUpstream("c");
    gw.startGateway(nodeYaml(trustedProxies) + """
        upstreams:
          sticky:
            strategy: consistent_hash
            hash_on: client_address
            targets: [{address: "%s"}, {address: "%s"}, {address: "%s"}]
        routes:
          - {id: sticky, match: {path: {prefix: /}}, upstream: sticky}
        """.formatted(a.address(), b.address(), c.address()));
    Map<String, String> targetByClient = new HashMap<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 24; i++) {
        String client = "198.51.100." + i;
        String servedBy = gw.send(HttpMethod.GET, "/who", Map.of("X-Forwarded-For", client), null).servedBy();
        String before = targetByClient.putIfAbsent(client, servedBy);
        if (before != null) {
          assertEquals(before, servedBy, "client " + client + " must stick to one target");
        }
      }
    }
    return targetByClient;
  }

  @Test
  void consistentHashOnClientAddressUsesTheForwardedClientBehindATrustedProxy() {
    Map<String, String> targets = hashTargetsByForwardedClient("trusted_proxies: [127.0.0.1/32]");

    Set<String> used = new HashSet<>(targets.values());
    assertTrue(used.size() >= 2, "24 different forwarded clients should spread over targets, got " + targets);
  }

  @Test
  void consistentHashOnClientAddressIgnoresForwardedForFromAnUntrustedPeer() {
    Map<String, String> targets = hashTargetsByForwardedClient("");

    Set<String> used = new HashSet<>(targets.values());
    assertEquals(1, used.size(), "the peer address (127.0.0.1) alone decides, got " + targets);
  }
}
