package io.gridgate.config;

import java.util.List;
import java.util.Map;

/**
 * The whole declarative configuration of a node: node settings, upstream pools and routes, plus
 * the cluster-wide part (upstreams and routes) as the YAML document it was read from, and the IP
 * rules that apply to every route.
 */
public record GatewayConfig(NodeSettings node, Map<String, UpstreamSpec> upstreams, List<RouteSpec> routes,
                            String sharedDocument, IpRules ipRules) {
  public GatewayConfig {
    upstreams = Map.copyOf(upstreams);
    routes = List.copyOf(routes);
  }

  public GatewayConfig withNode(NodeSettings settings) {
    return new GatewayConfig(settings, upstreams, routes, sharedDocument, ipRules);
  }
}
