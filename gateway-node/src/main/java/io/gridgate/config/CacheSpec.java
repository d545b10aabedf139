package io.gridgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A route's response cache: how long answers are kept, which requests and statuses are cached,
 * what else goes into the key (request headers, the query), the largest body stored and whether
 * the upstream's and the client's {@code Cache-Control} are obeyed. Header names are lower case.
 */
public record CacheSpec(Duration ttl, Set<String> methods, Set<Integer> statuses, List<String> varyHeaders,
                        QueryKey query, long maxBodySize, boolean respectCacheControl) {
  public CacheSpec {
    methods = Set.copyOf(methods);
    statuses = Set.copyOf(statuses);
    varyHeaders = List.copyOf(varyHeaders);
  }

  /** How the query string enters the key. */
  public enum QueryKey {
    /** Every parameter, in sorted order (so {@code ?a=1&b=2} and {@code ?b=2&a=1} share an entry). */
    ALL,
    /** None: every query string shares the entry of its path. */
    IGNORE
  }
}
