package io.gridgate.config;

import java.time.Duration;
import java.util.List;

/**
 * One declared rate limit. {@code id} names its buckets: {@code global.NAME} for a limit declared
 * at the top level (shared by every route), {@code ROUTE.NAME} for a route's own limit.
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
    Duration gridTimeout) {
  public RateLimitSpec {
    key = List.copyOf(key);
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
    public enum Source { CLIENT_ADDRESS, HEADER, ROUTE, PATH, PATH_TEMPLATE }
  }
}
