package io.gridgate.config;

import io.gridgate.config.RateLimitSpec.Algorithm;
import io.gridgate.config.RateLimitSpec.LimitKey;
import io.gridgate.config.RateLimitSpec.OnGridFailure;
import io.gridgate.config.RateLimitSpec.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses a {@code rate_limits} list (the top-level one or a route's) into {@link RateLimitSpec}s. */
final class RateLimitParser {
  static final String GLOBAL = "global";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final int MAX_LIMIT = 1_000_000_000;

  /** The limits of {@code list}; {@code owner} is {@value #GLOBAL} or the route id. */
  List<RateLimitSpec> parse(ConfigNode list, String owner) {
    List<RateLimitSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode item : list.items()) {
      RateLimitSpec spec = spec(item, owner);
      if (spec.name() != null && !names.add(spec.name())) {
        item.get("name").error("duplicate rate limit name '" + spec.name() + "'");
      }
      out.add(spec);
    }
    return out;
  }

  private RateLimitSpec spec(ConfigNode n, String owner) {
    n.allowOnly(Set.of("name", "algorithm", "limit", "window", "burst", "key", "scope", "on_grid_failure",
        "grid_timeout", "tiers"));
    String name = n.get("name").requiredString();
    if (name != null && !NAME.matcher(name).matches()) {
      n.get("name").error("must match " + NAME.pattern());
    }
    Algorithm algorithm = n.get("algorithm").enumValue(Algorithm.class, Algorithm.FIXED_WINDOW);
    if (n.get("limit").isMissing()) {
      n.get("limit").error("is required");
    }
    int limit = n.get("limit").integer(1, 1, MAX_LIMIT);
    return new RateLimitSpec(owner + "." + name, name, algorithm, limit,
        window(n.get("window"), algorithm),
        burst(n.get("burst"), algorithm, limit),
        key(n.get("key")),
        scope(n.get("scope"), algorithm),
        n.get("on_grid_failure").enumValue(OnGridFailure.class, OnGridFailure.FAIL_OPEN),
        gridTimeout(n.get("grid_timeout")),
        tiers(n.get("tiers"), algorithm));
  }

  /** {@code tiers: {GROUP: LIMIT, ...}}: consumer groups with their own limit. */
  private static Map<String, Long> tiers(ConfigNode n, Algorithm algorithm) {
    Map<String, Long> tiers = new LinkedHashMap<>();
    if (!n.isMissing() && algorithm == Algorithm.CONCURRENCY) {
      n.error("does not apply to a concurrency limit");
    }
    n.entries().forEach((group, value) -> {
      if (!NAME.matcher(group).matches()) {
        value.error("a group name must match " + NAME.pattern());
      }
      tiers.put(group, (long) value.integer(1, 1, MAX_LIMIT));
    });
    return tiers;
  }

  private static Duration window(ConfigNode n, Algorithm algorithm) {
    if (algorithm == Algorithm.CONCURRENCY) {
      if (!n.isMissing()) {
        n.error("does not apply to a concurrency limit");
      }
      return Duration.ZERO;
    }
    return n.duration(Duration.ofSeconds(1));
  }

  private static long burst(ConfigNode n, Algorithm algorithm, int limit) {
    return switch (algorithm) {
      case TOKEN_BUCKET -> n.integer(limit, 1, MAX_LIMIT);
      case LEAKY_BUCKET -> n.integer(0, 0, MAX_LIMIT);
      default -> {
        if (!n.isMissing()) {
          n.error("applies only to token_bucket and leaky_bucket");
        }
        yield 0;
      }
    };
  }

  /** Cluster by default; a concurrency limit counts requests in flight on each node, so it is local. */
  private static Scope scope(ConfigNode n, Algorithm algorithm) {
    if (algorithm != Algorithm.CONCURRENCY) {
      return n.enumValue(Scope.class, Scope.CLUSTER);
    }
    Scope scope = n.enumValue(Scope.class, Scope.LOCAL);
    if (scope != Scope.LOCAL) {
      n.error("a concurrency limit counts requests in flight on each node: its scope is local");
    }
    return Scope.LOCAL;
  }

  private static Duration gridTimeout(ConfigNode n) {
    Duration timeout = n.duration(Duration.ofMillis(100));
    if (timeout.compareTo(Duration.ofSeconds(10)) > 0) {
      n.error("must be at most 10s");
      return Duration.ofSeconds(10);
    }
    return timeout;
  }

  /**
   * {@code client_address}, {@code consumer} (the authenticated consumer or subject; the client
   * address without one), {@code route}, {@code path}, {@code path_template} or {@code header:NAME},
   * alone or in a list.
   */
  private static List<LimitKey> key(ConfigNode n) {
    if (n.isMissing()) {
      return List.of(new LimitKey(LimitKey.Source.CLIENT_ADDRESS, null));
    }
    List<LimitKey> parts = new ArrayList<>();
    for (String word : n.strings()) {
      LimitKey part = keyPart(word);
      if (part == null) {
        n.error("key part must be client_address, consumer, route, path, path_template or header:NAME (was '" + word + "')");
      } else if (parts.contains(part)) {
        n.error("key part '" + word + "' is given twice");
      } else {
        parts.add(part);
      }
    }
    if (parts.isEmpty() && !n.isScalar()) {
      n.error("needs at least one key part");
    }
    return parts;
  }

  private static LimitKey keyPart(String word) {
    if (word.startsWith("header:")) {
      String header = word.substring("header:".length()).trim();
      return HEADER.matcher(header).matches() ? new LimitKey(LimitKey.Source.HEADER, header) : null;
    }
    return switch (word) {
      case "client_address" -> new LimitKey(LimitKey.Source.CLIENT_ADDRESS, null);
      case "consumer" -> new LimitKey(LimitKey.Source.CONSUMER, null);
      case "route" -> new LimitKey(LimitKey.Source.ROUTE, null);
      case "path" -> new LimitKey(LimitKey.Source.PATH, null);
      case "path_template" -> new LimitKey(LimitKey.Source.PATH_TEMPLATE, null);
      default -> null;
    };
  }
}
