package io.gridgate.cache;

import io.gridgate.config.NodeSettings;
import io.gridgate.config.RouteSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's response caching, kept across configuration versions: one store for every route, and
 * the compiled cache of each route that has a {@code cache} section. A route whose definition a
 * push changed gets a new generation (so its old entries are never served) and its old entries are
 * dropped; so are those of routes a push removed.
 */
public final class ResponseCaches {
  private final ResponseStore store;
  private final CacheMetrics metrics;
  private final LongSupplier clockNanos;
  private long generations;
  private volatile Map<String, RouteCache> current = Map.of();

  /** Caching whose entries age by {@code clockNanos}: the node's clock (tests move it by hand). */
  public ResponseCaches(ResponseStore store, CacheMetrics metrics, LongSupplier clockNanos) {
    this.store = store;
    this.metrics = metrics;
    this.clockNanos = clockNanos;
  }

  /** A node's caching with the default budget and no metrics, aging entries by {@code clockNanos} (tests, tools). */
  public static ResponseCaches standalone(LongSupplier clockNanos) {
    return new ResponseCaches(new ResponseStore(NodeSettings.DEFAULT_CACHE_MAX_SIZE), CacheMetrics.NONE, clockNanos);
  }

  public ResponseStore store() {
    return store;
  }

  /** The cache of route {@code id} in the applied version; null when it has none. */
  public RouteCache route(String id) {
    return current.get(id);
  }

  /** The cache of every route that has one, by route id; none when the node's budget is 0. */
  public synchronized Map<String, RouteCache> compile(List<RouteSpec> routes) {
    Map<String, RouteCache> next = new HashMap<>();
    for (RouteSpec route : store.maxBytes() == 0 ? List.<RouteSpec>of() : routes) {
      if (route.cache() != null) {
        RouteCache kept = current.get(route.id());
        next.put(route.id(), kept != null && kept.route().equals(route)
            ? kept : new RouteCache(route, ++generations, store, metrics, clockNanos));
      }
    }
    current.forEach((id, cache) -> {
      if (next.get(id) != cache) {
        store.purgeRoute(id);
      }
    });
    current = Map.copyOf(next);
    return current;
  }
}
