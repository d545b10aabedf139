package io.gridgate.grid;

import io.gridgate.distribution.ConfigRecord;
import java.util.Map;

/** Every name GridGate uses in the grid and on the clustered event bus, in one place. */
public final class GridNames {
  /** IMap: configuration version (Long) → {@link ConfigRecord} as JSON. */
  public static final String CONFIG_VERSIONS = "gridgate.config.versions";
  /** IMap: {@link #HEAD_KEY} → the newest committed configuration version (Long). */
  public static final String CONFIG_HEAD = "gridgate.config.head";
  public static final String HEAD_KEY = "head";
  /** IMap: bucket name (see BucketNames) → a rate-limit bucket's state ({@code long[]}). */
  public static final String RATE_LIMIT_BUCKETS = "gridgate.ratelimit.buckets";
  /** IMap: upstream name → its circuit breaker's state, changed only by entry processors. */
  public static final String BREAKERS = "gridgate.breakers";
  /** IMap: {@code jti:ID} or {@code sub:SUBJECT} → {issued before, expires at} (epoch millis), with a TTL. */
  public static final String REVOCATIONS = "gridgate.revocations";
  /** IMap: consumer id → the consumer as JSON (groups, JWT subjects, hashed API keys, a {@code revision}), or its tombstone. */
  public static final String CONSUMERS = "gridgate.consumers";
  /** Event-bus address prefix: {@code PREFIX + memberId} asks one member to apply a version. */
  public static final String APPLY_ADDRESS_PREFIX = "gridgate.config.apply.";
  /** Event-bus address prefix: {@code PREFIX + memberId} asks one member to purge its response cache. */
  public static final String CACHE_PURGE_ADDRESS_PREFIX = "gridgate.cache.purge.";
  /** All IMaps of GridGate; each is configured with at least one backup. */
  public static final String[] MAPS = {CONFIG_VERSIONS, CONFIG_HEAD, RATE_LIMIT_BUCKETS, BREAKERS, REVOCATIONS, CONSUMERS};

  /** The split-brain merge policy of each of {@link #MAPS} (see docs/operations.md, "Split-brain"). */
  public static final Map<String, Class<?>> MERGE_POLICIES = Map.of(
      CONFIG_VERSIONS, ConfigHistoryMerge.class,
      CONFIG_HEAD, ConfigHistoryMerge.class,
      RATE_LIMIT_BUCKETS, BucketMerge.class,
      BREAKERS, BreakerMerge.class,
      REVOCATIONS, RevocationMerge.class,
      CONSUMERS, ConsumerMerge.class);

  private GridNames() {}

  public static String applyAddress(String memberId) {
    return APPLY_ADDRESS_PREFIX + memberId;
  }

  public static String cachePurgeAddress(String memberId) {
    return CACHE_PURGE_ADDRESS_PREFIX + memberId;
  }
}
