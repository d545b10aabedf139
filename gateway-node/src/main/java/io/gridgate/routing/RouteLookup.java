package io.gridgate.routing;

import java.util.Set;

/** The outcome of matching a request: a route, a path match with the wrong method (405), or nothing (404). */
public record RouteLookup(CompiledRoute route, Set<String> allowedMethods) {
  static final RouteLookup NOT_FOUND = new RouteLookup(null, Set.of());

  public boolean found() {
    return route != null;
  }

  public boolean methodNotAllowed() {
    return route == null && !allowedMethods.isEmpty();
  }
}
