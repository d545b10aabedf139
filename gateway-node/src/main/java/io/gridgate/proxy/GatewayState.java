package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.LinkedHashMap;
import java.util.Map;

/** One configuration version compiled for serving: node settings, route table and upstream pools. */
public record GatewayState(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools) {

  public static GatewayState compile(GatewayConfig config) {
    Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    config.upstreams().forEach((name, spec) -> pools.put(name, new UpstreamPool(spec)));
    return new GatewayState(config, new RouteTable(config.routes()), Map.copyOf(pools));
  }

  public NodeSettings node() {
    return config.node();
  }
}
