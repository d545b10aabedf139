package io.gridgate.security;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;

/** An {@link IpFilter} for every route when the document or the route has IP rules. */
final class IpFilterFactory implements PolicyFactory {
  @Override
  public RequestPolicy create(RouteSpec route, GatewayConfig config) {
    if (config.ipRules().isEmpty() && route.ipRules().isEmpty()) {
      return null;
    }
    return new IpFilter(config.ipRules(), route.ipRules());
  }
}
