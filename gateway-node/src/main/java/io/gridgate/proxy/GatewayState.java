package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.grid.BreakerStore;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration version compiled for serving: node settings, route table and upstream pools,
 * whose cluster-scoped circuit breakers keep their state in {@code breakers}.
 */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools,
                           BreakerStore breakers) {

  public static GatewayState compile(GatewayConfig config, BreakerStore breakers) {
    return compile(config, Map.of(), breakers);
  }

  /**
   * Compiles a new version, keeping the pools whose definition did not change, and within a
   * changed pool the targets, breaker and bulkhead whose definition did not change (with their state).
   */
  public GatewayState next(GatewayConfig config) {
    return compile(config, pools, breakers);
  }

  private static GatewayState compile(GatewayConfig config, Map<String, UpstreamPool> previous, BreakerStore breakers) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    config.upstreams().forEach((name, spec) -> {
      UpstreamPool kept = previous.get(name);
      pools.put(name, kept != null && kept.spec().equals(spec) ? kept : new UpstreamPool(spec, kept, breakers));
    });
    return new GatewayState(config, new RouteTable(config.routes()), Map.copyOf(pools), breakers);
  }

  public NodeSettings node() {
    return config.node();
  }
}
