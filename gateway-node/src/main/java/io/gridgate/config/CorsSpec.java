package io.gridgate.config;

import java.time.Duration;
import java.util.List;

/**
 * A route's cross-origin resource sharing rules: allowed origins ({@code *} for any, not with
 * credentials), methods and request headers for preflights, response headers exposed to scripts,
 * whether credentials are allowed, and how long browsers may cache a preflight answer.
 */
public record CorsSpec(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                       List<String> exposeHeaders, boolean allowCredentials, Duration maxAge) {
  public CorsSpec {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
    exposeHeaders = List.copyOf(exposeHeaders);
  }
}
