package io.gridgate.routing;

import io.gridgate.config.RouteSpec;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable, ordered set of compiled routes; built once per configuration version, with a
 * {@link RouteIndex} so a lookup tries only the routes whose host and path may match.
 */
public final class RouteTable {
  private final CompiledRoute[] routes;
  private final RouteIndex index;

  public RouteTable(List<RouteSpec> specs) {
    List<CompiledRoute> compiled = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      compiled.add(new CompiledRoute(specs.get(i), i));
    }
    compiled.sort(CompiledRoute::compare);
    this.routes = compiled.toArray(CompiledRoute[]::new);
    this.index = new RouteIndex(routes);
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
    return firstMatch(index.candidates(host, path), method, host, path, headers);
  }

  /**
   * The first of {@code candidates} (ranks in match order) that matches the request; failing that,
   * a 405 with the methods of those that matched all but the method, or a 404.
   */
  RouteLookup firstMatch(Ranks candidates, String method, String host, String path, MultiMap headers) {
    Set<String> allowed = null;
    for (int i = 0; i < candidates.size(); i++) {
      CompiledRoute route = routes[candidates.get(i)];
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
