package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration version compiled for serving: node settings, route table, upstream pools
 * (with their circuit breakers), and each route's {@link RouteChain} (its steps and terminal),
 * compiled against the node's {@link NodeServices}.
 */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools,
                           Map<String, RouteChain> chains, NodeServices services) {

  public static GatewayState compile(GatewayConfig config, NodeServices services) {
    return compile(config, Map.of(), services);
  }

  /**
   * Compiles a new version, keeping the pools whose definition did not change, and within a
   * changed pool the targets, breaker and bulkhead whose definition did not change (with their
   * state); unchanged limits keep their limiters.
   */
  public GatewayState next(GatewayConfig config) {
    return compile(config, pools, services);
  }

  private static GatewayState compile(GatewayConfig config, Map<String, UpstreamPool> previous, NodeServices services) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    config.upstreams().forEach((name, spec) -> {
      UpstreamPool kept = previous.get(name);
      pools.put(name, kept != null && kept.spec().equals(spec)
          ? kept : new UpstreamPool(spec, kept, services.breakers(), services.clock()));
    });
    RouteTable routes = new RouteTable(config.routes());
    Map<String, UpstreamPool> compiledPools = Map.copyOf(pools);
    return new GatewayState(config, routes, compiledPools, RouteChains.compile(config, routes, compiledPools, services),
        services);
  }

  /** The compiled chain of {@code route}. */
  RouteChain chainOf(CompiledRoute route) {
    return chains.get(route.id());
  }

  public NodeSettings node() {
    return config.node();
  }
}
