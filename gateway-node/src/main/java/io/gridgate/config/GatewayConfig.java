package io.gridgate.config;

import java.util.List;
import java.util.Map;

/** The whole declarative configuration of a node: node settings, upstream pools and routes. */
public record GatewayConfig(NodeSettings node, Map<String, UpstreamSpec> upstreams, List<RouteSpec> routes) {
  public GatewayConfig {
    upstreams = Map.copyOf(upstreams);
    routes = List.copyOf(routes);
  }
}
