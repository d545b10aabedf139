package io.gridgate.security.auth;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;
import io.gridgate.security.RequestPolicy;
import io.gridgate.security.PolicyFactory;
import io.vertx.core.Future;

/**
 * The identity headers of routes with {@code auth.identity_headers}: client copies are removed from
 * every request, then set from the proven identity, whatever credential proved it.
 */
public final class IdentityHeadersFactory implements PolicyFactory {
  @Override
  public RequestPolicy create(RouteSpec route, GatewayConfig config) {
    if (route.auth() == null || route.auth().identityHeaders().isEmpty()) {
      return null;
    }
    IdentityHeaders headers = new IdentityHeaders(route.auth().identityHeaders());
    return context -> {
      headers.removeClientCopies(context);
      if (context.identity() != null) {
        headers.write(context, context.identity());
      }
      return Future.succeededFuture();
    };
  }
}
