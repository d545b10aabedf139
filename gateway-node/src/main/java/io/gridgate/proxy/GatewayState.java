package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.ratelimit.RateLimiters;
import io.gridgate.ratelimit.RouteRateLimits;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One configuration version compiled for serving: node settings, route table, upstream pools and
 * each route's rate limits (on the node's limiters, which outlive versions).
 */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools,
                           Map<String, RouteRateLimits> rateLimits, RateLimiters limiters) {

  public static GatewayState compile(GatewayConfig config, RateLimiters limiters) {
    return compile(config, Map.of(), limiters);
  }

  /**
   * Compiles a new version, keeping the pools whose definition did not change, and within a
   * changed pool the targets whose definition did not change (with their health state); unchanged
   * limits keep their limiters.
   */
  public GatewayState next(GatewayConfig config) {
    return compile(config, pools, limiters);
  }

  private static GatewayState compile(GatewayConfig config, Map<String, UpstreamPool> previous, RateLimiters limiters) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    config.upstreams().forEach((name, spec) -> {
      UpstreamPool kept = previous.get(name);
      pools.put(name, kept != null && kept.spec().equals(spec) ? kept : new UpstreamPool(spec, kept));
    });
    return new GatewayState(config, new RouteTable(config.routes()), Map.copyOf(pools),
        limiters.compile(config.routes()), limiters);
  }

  public NodeSettings node() {
    return config.node();
  }
}
