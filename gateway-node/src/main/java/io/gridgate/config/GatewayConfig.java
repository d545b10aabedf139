package io.gridgate.config;

import java.util.List;
import java.util.Map;

/**
 * The whole declarative configuration of a node: node settings, upstream pools and routes, plus
 * the cluster-wide part (upstreams and routes) as the YAML document it was read from, the IP
 * rules that apply to every route, the JWT issuers and OAuth2 servers routes may authenticate with,
 * and the consumers it declares.
 */
public record GatewayConfig(NodeSettings node, Map<String, UpstreamSpec> upstreams, List<RouteSpec> routes,
                            String sharedDocument, IpRules ipRules, Map<String, JwtIssuerSpec> jwtIssuers,
                            Map<String, OAuth2ServerSpec> oauth2Servers, Map<String, ConsumerSpec> consumers) {
  public GatewayConfig {
    upstreams = Map.copyOf(upstreams);
    routes = List.copyOf(routes);
    jwtIssuers = Map.copyOf(jwtIssuers);
    oauth2Servers = Map.copyOf(oauth2Servers);
    consumers = Map.copyOf(consumers);
  }

  public GatewayConfig withNode(NodeSettings settings) {
    return new GatewayConfig(settings, upstreams, routes, sharedDocument, ipRules, jwtIssuers, oauth2Servers, consumers);
  }

  /** Without the shared document, which may hold literal secrets. */
  @Override
  public String toString() {
    return "GatewayConfig[node=" + node + ", upstreams=" + upstreams + ", routes=" + routes + ", ipRules=" + ipRules
        + ", jwtIssuers=" + jwtIssuers + ", oauth2Servers=" + oauth2Servers + ", consumers=" + consumers + "]";
  }
}
