package io.gridgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One declared rate limit. {@code id} names its buckets: {@code global.NAME} for a limit declared
 * at the top level (shared by every route), {@code ROUTE.NAME} for a route's own limit.
 * {@code tiers} gives consumer groups their own limit (the highest of a consumer's groups applies).
 */
public record RateLimitSpec(
    String id,
    String name,
    Algorithm algorithm,
    long limit,
    Duration window,
    long burst,
    List<LimitKey> key,
    Scope scope,
    OnGridFailure onGridFailure,
    Duration gridTimeout,
    Map<String, Long> tiers) {
  public RateLimitSpec {
    key = List.copyOf(key);
    tiers = Map.copyOf(tiers);
  }

  /** The same limit for the consumer group {@code group}: its own id, its tier's limit (and burst), no tiers. */
  public RateLimitSpec forTier(String group) {
    long tierLimit = tiers.get(group);
    long tierBurst = burst == 0 ? 0 : Math.max(1, burst * tierLimit / limit);
    return new RateLimitSpec(id + "@" + group, name, algorithm, tierLimit, window, tierBurst, key, scope, onGridFailure,
        gridTimeout, Map.of());
  }

  /** How a limit counts. */
  public enum Algorithm { TOKEN_BUCKET, SLIDING_WINDOW, FIXED_WINDOW, LEAKY_BUCKET, CONCURRENCY }

  /** Where a limit's buckets live: in the grid for the whole cluster, or on each node alone. */
  public enum Scope { CLUSTER, LOCAL }

  /** What a cluster limit does when the grid does not answer within {@code grid_timeout}. */
  public enum OnGridFailure { FAIL_OPEN, FAIL_CLOSED }

  /** One part of a limit's key. */
  public record LimitKey(Source source, String header) {
    /** Where a key part comes from. */
    public enum Source { CLIENT_ADDRESS, CONSUMER, HEADER, ROUTE, PATH, PATH_TEMPLATE }
  }
}
