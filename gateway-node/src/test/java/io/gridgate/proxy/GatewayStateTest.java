package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A new configuration version keeps what it can of the old one's live upstream state (targets,
 * breakers, bulkheads), and retires the rest.
 */
class GatewayStateTest {
  private static final String ROUTES = """
      routes:
        - {id: r, match: {path: {prefix: /}}, upstream: u}
      """;

  @Test
  void unchangedPoolsAndUnchangedTargetsOfChangedPoolsKeepTheirState() {
    GatewayState v1 = compile("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}, {address: "10.0.0.2:80"}], health_check: {passive: {max_failures: 1}}}
          same: {targets: [{address: "10.0.0.9:80"}]}
        """);
    Target ejected = v1.pools().get("u").targets().get(0);
    ejected.recordFailure(System.nanoTime());
    assertTrue(ejected.isEjected(System.nanoTime()));

    GatewayState v2 = v1.next(config("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}, {address: "10.0.0.2:80"}, {address: "10.0.0.3:80"}], health_check: {passive: {max_failures: 1}}}
          same: {targets: [{address: "10.0.0.9:80"}]}
        """));

    assertSame(v1.pools().get("same"), v2.pools().get("same"), "an unchanged pool is kept whole");
    UpstreamPool changed = v2.pools().get("u");
    assertNotSame(v1.pools().get("u"), changed);
    assertSame(ejected, changed.targets().get(0), "an unchanged target keeps its state");
    assertTrue(changed.targets().get(0).isEjected(System.nanoTime()), "still ejected after the push");
    assertFalse(changed.targets().get(2).isEjected(System.nanoTime()));

    GatewayState v3 = v2.next(config("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}], health_check: {passive: {max_failures: 5}}}
          same: {targets: [{address: "10.0.0.9:80"}]}
        """));
    assertNotSame(ejected, v3.pools().get("u").targets().get(0), "a changed passive check starts targets afresh");
  }

  @Test
  void breakersAndBulkheadsKeepTheirStateUnlessTheirOwnSectionChanges() {
    String guarded = "circuit_breaker: {consecutive_failures: 1, scope: local}, bulkhead: {max_concurrent: 5}";
    GatewayState v1 = compile("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}], %s}
        """.formatted(guarded));
    UpstreamPool before = v1.pools().get("u");
    before.breaker().record(false, false);
    assertEquals(Phase.OPEN, before.breaker().phase());

    UpstreamPool moreTargets = v1.next(config("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}, {address: "10.0.0.2:80"}], %s}
        """.formatted(guarded))).pools().get("u");
    assertNotSame(before, moreTargets);
    assertSame(before.breaker(), moreTargets.breaker(), "still open after a push that adds a target");
    assertSame(before.bulkhead(), moreTargets.bulkhead());

    UpstreamPool newSections = v1.next(config("""
        upstreams:
          u: {targets: [{address: "10.0.0.1:80"}], circuit_breaker: {consecutive_failures: 2}, bulkhead: {max_concurrent: 6}}
        """)).pools().get("u");
    assertEquals(Phase.CLOSED, newSections.breaker().phase(), "a changed breaker starts closed");
    assertEquals(6, newSections.bulkhead().maxConcurrent());
  }

  @Test
  void clientsOfRemovedUpstreamsAreShutDown() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      GatewayState state = compile("""
          upstreams:
            u: {targets: [{address: "127.0.0.1:9"}]}
          """);
      UpstreamClients clients = new UpstreamClients(vertx);
      var client = clients.forPool(state.pools().get("u"));
      clients.retainOnly(Set.of("u"));
      assertSame(client, clients.forPool(state.pools().get("u")), "a live upstream keeps its client");

      clients.retainOnly(Set.of("other"));

      IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> client.request(HttpMethod.GET, 9, "127.0.0.1", "/"), "a retired client must refuse new requests");
      assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static GatewayState compile(String upstreams) {
    return GatewayState.compile(config(upstreams), NodeServices.standalone(new LocalBreakerStore()));
  }

  private static GatewayConfig config(String upstreams) {
    return new ConfigParser().parse(upstreams + ROUTES);
  }
}
