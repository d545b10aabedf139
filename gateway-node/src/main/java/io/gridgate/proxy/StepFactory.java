package io.gridgate.proxy;

import io.gridgate.routing.CompiledRoute;
import java.util.Map;
import java.util.function.Function;

/** Builds one kind of {@link Step} for the routes of one configuration version. */
interface StepFactory {
  /** The step of {@code route}, or null when the route does not use this feature. */
  Step create(CompiledRoute route);

  /** Steps made by {@code step} from what a version compiled per route id ({@code compiled}), for the routes that have any. */
  static <T> StepFactory byRouteId(Map<String, T> compiled, Function<T, Step> step) {
    return route -> {
      T feature = compiled.get(route.id());
      return feature == null ? null : step.apply(feature);
    };
  }
}
