package io.gridgate.security;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;

/** A {@link Cors} policy for each route with a {@code cors} section. */
final class CorsFactory implements PolicyFactory {
  @Override
  public RequestPolicy create(RouteSpec route, GatewayConfig config) {
    return route.cors() == null ? null : new Cors(route.cors());
  }
}
