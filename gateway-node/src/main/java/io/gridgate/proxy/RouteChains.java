package io.gridgate.proxy;

import io.gridgate.config.GatewayConfig;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.routing.RouteTable;
import io.gridgate.upstream.UpstreamPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles one {@link RouteChain} per route of a configuration version. The kinds of steps, in
 * their fixed order, are the list below: a new route feature is one step class with its factory,
 * one line here, its configuration parser and its tests.
 */
final class RouteChains {
  private RouteChains() {}

  /** Every route's chain, by route id, against the version's pools and the node's services. */
  static Map<String, RouteChain> compile(GatewayConfig config, RouteTable routes, Map<String, UpstreamPool> pools,
                                         NodeServices services) {
    List<StepFactory> factories = List.of(
        AccessLogStep.factory(services.observer()),
        TraceStep.FACTORY,
        IpFilterStep.factory(config),
        CorsStep.FACTORY,
        PolicyStep.factory(services.policies().compile(config)),
        RateLimitStep.factory(services.limiters().compile(config.routes())),
        RouteHeadersStep.FACTORY,
        CacheStep.factory(services.caches().compile(config.routes())),
        TransformStep.FACTORY);
    Forwarder forwarder = new Forwarder(services.observer());
    Composer composer = new Composer(pools, services.observer());
    Map<String, RouteChain> chains = new HashMap<>();
    for (CompiledRoute route : routes.routes()) {
      List<Step> steps = new ArrayList<>();
      for (StepFactory factory : factories) {
        Step step = factory.create(route);
        if (step != null) {
          steps.add(step);
        }
      }
      boolean composed = route.spec().compose() != null;
      UpstreamPool pool = composed ? null : pools.get(route.spec().upstream());
      chains.put(route.id(), new RouteChain(route, pool, steps, composed ? composer : forwarder));
    }
    return Map.copyOf(chains);
  }
}
