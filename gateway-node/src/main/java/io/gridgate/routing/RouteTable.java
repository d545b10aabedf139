package io.gridgate.routing;

import io.gridgate.config.RouteSpec;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** An immutable, ordered set of compiled routes; built once per configuration version. */
public final class RouteTable {
  private final CompiledRoute[] routes;

  public RouteTable(List<RouteSpec> specs) {
    List<CompiledRoute> compiled = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      compiled.add(new CompiledRoute(specs.get(i), i));
    }
    compiled.sort(CompiledRoute::compare);
    this.routes = compiled.toArray(CompiledRoute[]::new);
  }

  /** Routes in match order. */
  public List<CompiledRoute> routes() {
    return List.of(routes);
  }

  /**
   * Finds the route for a request. {@code host} is lower case without port (null if absent);
   * {@code path} is already normalised.
   */
  public RouteLookup match(String method, String host, String path, MultiMap headers) {
    Set<String> allowed = null;
    for (CompiledRoute route : routes) {
      if (!route.matchesAllButMethod(host, path, headers)) {
        continue;
      }
      if (route.allowsMethod(method, headers)) {
        return new RouteLookup(route, Set.of());
      }
      if (allowed == null) {
        allowed = new TreeSet<>();
      }
      allowed.addAll(route.methods());
    }
    return allowed == null ? RouteLookup.NOT_FOUND : new RouteLookup(null, allowed);
  }
}
