package io.gridgate.admin;

import io.gridgate.config.RouteSpec;
import io.gridgate.proxy.GatewayState;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The admin API's cache endpoint: {@code DELETE /admin/cache} purges every member's response
 * cache, {@code DELETE /admin/cache?route=ID} only route ID's entries; the answer names the
 * members that purged ({@code purged}) and those that did not answer in time ({@code failed}).
 */
public final class CacheApi implements AdminRoutes {
  private static final Pattern ROUTE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final CachePurgeService purges;
  private final Supplier<GatewayState> state;

  public CacheApi(CachePurgeService purges, Supplier<GatewayState> state) {
    this.purges = purges;
    this.state = state;
  }

  @Override
  public void mount(Router router) {
    router.delete("/admin/cache").handler(this::purge);
  }

  private void purge(RoutingContext ctx) {
    String route = ctx.queryParams().get("route");
    if (route != null && !ROUTE_ID.matcher(route).matches()) {
      AdminErrors.send(ctx, 400, "bad_parameter", "route must be a route id (was '" + route + "')");
      return;
    }
    if (route != null && state.get().config().routes().stream().map(RouteSpec::id).noneMatch(route::equals)) {
      AdminErrors.send(ctx, 404, "unknown_route", "no route '" + route + "' in the applied configuration");
      return;
    }
    purges.purgeEverywhere(route).onSuccess(result -> ctx.json(result.toJson()))
        .onFailure(err -> AdminErrors.send(ctx, 500, "internal_error", String.valueOf(err.getMessage())));
  }
}
