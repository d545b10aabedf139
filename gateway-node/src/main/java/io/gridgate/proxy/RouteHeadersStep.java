package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.routing.CompiledRoute;

/**
 * The route's {@code response_headers} operations on every answer of the route: the upstream's, a
 * cached one (stored without them), a composition, and the gateway's own errors and refusals.
 */
final class RouteHeadersStep implements Step {
  /** Steps for the routes that change response headers. */
  static final StepFactory FACTORY = route -> route.spec().responseHeaders().isEmpty() ? null : new RouteHeadersStep(route);

  private final CompiledRoute route;

  private RouteHeadersStep(CompiledRoute route) {
    this.route = route;
  }

  @Override
  public void onResponseHead(Exchange ex, int status, ClientResponse response) {
    route.responseHeaders().apply(response.headers());
  }
}
