package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.grid.BreakerStore;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.ratelimit.RouteRateLimits;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration version compiled for serving: node settings, route table, upstream pools
 * (whose cluster-scoped circuit breakers keep their state in {@code breakers}) and each route's
 * rate limits (on the node's limiters, which outlive versions).
 */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools,
                           Map<String, RouteRateLimits> rateLimits, BreakerStore breakers, RateLimiters limiters) {

  public static GatewayState compile(GatewayConfig config, BreakerStore breakers, RateLimiters limiters) {
    return compile(config, Map.of(), breakers, limiters);
  }

  /**
   * Compiles a new version, keeping the pools whose definition did not change, and within a
   * changed pool the targets, breaker and bulkhead whose definition did not change (with their
   * state); unchanged limits keep their limiters.
   */
  public GatewayState next(GatewayConfig config) {
    return compile(config, pools, breakers, limiters);
  }

  private static GatewayState compile(GatewayConfig config, Map<String, UpstreamPool> previous, BreakerStore breakers,
                                      RateLimiters limiters) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    config.upstreams().forEach((name, spec) -> {
      UpstreamPool kept = previous.get(name);
      pools.put(name, kept != null && kept.spec().equals(spec) ? kept : new UpstreamPool(spec, kept, breakers));
    });
    return new GatewayState(config, new RouteTable(config.routes()), Map.copyOf(pools),
        limiters.compile(config.routes()), breakers, limiters);
  }

  public NodeSettings node() {
    return config.node();
  }
}
