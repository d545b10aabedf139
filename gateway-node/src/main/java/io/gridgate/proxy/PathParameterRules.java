package io.gridgate.proxy;

import io.gridgate.config.PathParameters;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.security.Refusal;

/**
 * A route's {@code path_parameters} applied to a request whose normalised path carries {@code ;}
 * parameters ({@code /app/admin;jsessionid=x}); routes are matched on the path without them.
 * {@code reject} (the default) refuses the request, {@code strip} forwards the path without them,
 * {@code keep} forwards it as normalised, parameters included.
 */
final class PathParameterRules {
  private static final Refusal REFUSED = Refusal.of(400, "path_parameters_refused",
      "';' path parameters are not accepted on this route");

  private PathParameterRules() {}

  /** The refusal of {@code path} (normalised; {@code matchedPath} is it without parameters), or null. */
  static Refusal refuse(CompiledRoute route, String path, String matchedPath) {
    return path.length() != matchedPath.length() && route.spec().pathParameters() == PathParameters.REJECT ? REFUSED : null;
  }

  /** The path to forward: {@code path} with its parameters on a {@code keep} route, else {@code matchedPath}. */
  static String forwardedPath(CompiledRoute route, String path, String matchedPath) {
    return route.spec().pathParameters() == PathParameters.KEEP ? path : matchedPath;
  }
}
