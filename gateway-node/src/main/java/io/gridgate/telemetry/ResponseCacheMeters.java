package io.gridgate.telemetry;

import io.gridgate.cache.CacheMetrics;
import io.gridgate.cache.CacheResult;
import io.gridgate.cache.ResponseStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response cache's meters: {@code gridgate_cache_requests_total} by route and result, and the
 * node's stored bytes ({@code gridgate_cache_size_bytes}) and entries ({@code gridgate_cache_entries}).
 */
public final class ResponseCacheMeters implements CacheMetrics {
  private static final String SIZE = "gridgate.cache.size";
  private static final String ENTRIES = "gridgate.cache.entries";
  private final MeterRegistry registry;
  private final String member;
  private final Map<String, Counter[]> routes = new ConcurrentHashMap<>();

  /** Meters of {@code member}'s {@code store}; gauges of an earlier store of the same member are replaced. */
  public ResponseCacheMeters(MeterRegistry registry, String member, ResponseStore store) {
    this.registry = registry;
    this.member = member;
    for (String name : new String[] {SIZE, ENTRIES}) {
      registry.find(name).tag("member", member).gauges().forEach(registry::remove);
    }
    Gauge.builder(SIZE, store, ResponseStore::bytes).baseUnit("bytes").strongReference(true)
        .description("Bytes of cached answers this node holds, as counted against node.cache.max_size")
        .tag("member", member).register(registry);
    Gauge.builder(ENTRIES, store, ResponseStore::size).strongReference(true)
        .description("Cached answers this node holds").tag("member", member).register(registry);
  }

  @Override
  public void counted(String route, CacheResult result) {
    routes.computeIfAbsent(route, this::counters)[result.ordinal()].increment();
  }

  /** One counter per result of {@code route}, indexed by the result's ordinal. */
  private Counter[] counters(String route) {
    CacheResult[] results = CacheResult.values();
    Counter[] counters = new Counter[results.length];
    for (CacheResult result : results) {
      counters[result.ordinal()] = Counter.builder("gridgate.cache.requests")
          .description("Requests of cached routes, by what the cache did: hit, miss, bypass or refresh")
          .tags("member", member, "route", route, "result", result.label()).register(registry);
    }
    return counters;
  }
}
