package io.gridgate.cache;

import io.gridgate.config.RouteSpec;
import io.gridgate.security.Identity;
import io.vertx.core.MultiMap;

/**
 * The response cache of one route definition: its policy, the node's store and the generation of
 * the definition, which is part of every key, so that entries cached under an earlier definition of
 * the route are never served.
 */
public final class RouteCache {
  private final RouteSpec route;
  private final long generation;
  private final CachePolicy policy;
  private final ResponseStore store;
  private final CacheMetrics metrics;

  RouteCache(RouteSpec route, long generation, ResponseStore store, CacheMetrics metrics) {
    this.route = route;
    this.generation = generation;
    this.policy = new CachePolicy(route.cache());
    this.store = store;
    this.metrics = metrics;
  }

  RouteSpec route() {
    return route;
  }

  public String routeId() {
    return route.id();
  }

  public CachePolicy policy() {
    return policy;
  }

  /** The key of a request's answer (see {@link CacheKeys}); {@code caller} is null for anonymous requests. */
  public String key(String host, String path, String query, MultiMap headers, Identity caller) {
    return CacheKeys.of(route.id(), generation, policy.spec(), host, path, query, headers, caller);
  }

  /** The fresh answer stored under {@code key}, or null. */
  public CachedResponse lookup(String key) {
    return store.get(key, System.nanoTime());
  }

  /** Starts the copy of an answer to be stored under {@code key}. */
  public CacheFill fill(String key) {
    return new CacheFill(this, key, store.epoch());
  }

  void store(String key, CachedResponse response, long epoch) {
    store.put(key, response, epoch);
  }

  /** Counts a request of this route by what the cache did for it. */
  public void count(CacheResult result) {
    metrics.counted(route.id(), result);
  }
}
