package io.gridgate.cache;

import io.gridgate.config.RouteSpec;
import io.gridgate.security.Identity;
import io.vertx.core.MultiMap;
import java.util.function.LongSupplier;

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
  private final LongSupplier clockNanos;
  private final CollapsedMisses misses = new CollapsedMisses();

  RouteCache(RouteSpec route, long generation, ResponseStore store, CacheMetrics metrics, LongSupplier clockNanos) {
    this.route = route;
    this.generation = generation;
    this.policy = new CachePolicy(route.cache());
    this.store = store;
    this.metrics = metrics;
    this.clockNanos = clockNanos;
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
    return store.get(key, clockNanos.getAsLong());
  }

  /** Starts the copy of an answer to be stored under {@code key}, without making later misses wait for it. */
  public CacheFill fill(String key) {
    return new CacheFill(this, key, store.epoch(), null);
  }

  /**
   * Starts the copy of the answer to the first miss of {@code key}, which later misses of the key
   * wait for ({@link #awaitFill}); null when another request's copy is already being taken.
   */
  public CacheFill leadingFill(String key) {
    CollapsedMisses.Lead lead = misses.lead(key, route.timeouts().total().toNanos());
    return lead == null ? null : new CacheFill(this, key, store.epoch(), lead);
  }

  /**
   * Runs {@code wake} once the leading copy of {@code key} ends; false (and never runs it) when none
   * is in flight. A waiter should give up after {@link #maxWaitMillis()}.
   */
  public boolean awaitFill(String key, Runnable wake) {
    return misses.await(key, wake);
  }

  /** How many of this route's requests wait for another's leading miss now. */
  public int waitingMisses() {
    return misses.waiting();
  }

  /** The longest a leading miss may take: the route's total timeout. */
  public long maxWaitMillis() {
    return route.timeouts().total().toMillis();
  }

  void settle(String key, CollapsedMisses.Lead lead) {
    misses.settle(key, lead);
  }

  /** Now on the clock entries are stored and looked up by, in nanos. */
  public long nowNanos() {
    return clockNanos.getAsLong();
  }

  void store(String key, CachedResponse response, long epoch) {
    store.put(key, response, epoch);
  }

  /** Counts a request of this route by what the cache did for it. */
  public void count(CacheResult result) {
    metrics.counted(route.id(), result);
  }
}
