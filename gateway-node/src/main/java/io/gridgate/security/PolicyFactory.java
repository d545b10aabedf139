package io.gridgate.security;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;

/** Builds one kind of policy for a route from the configuration; null when the route has none of that kind. */
public interface PolicyFactory {
  RequestPolicy create(RouteSpec route, GatewayConfig config);
}
