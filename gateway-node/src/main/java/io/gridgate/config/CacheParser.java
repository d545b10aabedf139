package io.gridgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads a route's {@code cache} section and the node's {@code cache} settings. */
final class CacheParser {
  private static final Set<String> CACHEABLE_METHODS = Set.of("GET", "HEAD");

  /** {@code node.cache.max_size}: the node's memory budget for cached answers; 0 turns caching off. */
  long maxSize(ConfigNode n) {
    n.allowOnly(Set.of("max_size"));
    return n.get("max_size").size(NodeSettings.DEFAULT_CACHE_MAX_SIZE);
  }

  /** A route's {@code cache} section, or null when the route caches nothing. */
  CacheSpec route(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("ttl", "methods", "statuses", "vary_headers", "query", "max_body_size", "respect_cache_control"));
    Duration ttl = ConfigParser.boundedDuration(n.get("ttl"), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofDays(1));
    long maxBody = n.get("max_body_size").size(1024 * 1024);
    if (maxBody < 1) {
      n.get("max_body_size").error("must be at least 1 byte");
    }
    return new CacheSpec(ttl, methods(n.get("methods")), statuses(n.get("statuses")), varyHeaders(n.get("vary_headers")),
        n.get("query").enumValue(CacheSpec.QueryKey.class, CacheSpec.QueryKey.ALL), maxBody,
        n.get("respect_cache_control").bool(true));
  }

  private static Set<String> methods(ConfigNode n) {
    if (n.isMissing()) {
      return CACHEABLE_METHODS;
    }
    Set<String> methods = new LinkedHashSet<>();
    for (String method : n.strings()) {
      String upper = method.toUpperCase(Locale.ROOT);
      if (CACHEABLE_METHODS.contains(upper)) {
        methods.add(upper);
      } else {
        n.error("only GET and HEAD answers are cached (was '" + method + "')");
      }
    }
    if (methods.isEmpty() && n.isList()) {
      n.error("must list GET, HEAD or both");
    }
    return methods;
  }

  private static Set<Integer> statuses(ConfigNode n) {
    if (n.isMissing()) {
      return Set.of(200, 301, 404);
    }
    Set<Integer> statuses = new LinkedHashSet<>();
    for (ConfigNode item : n.items()) {
      statuses.add(item.integer(200, 100, 599));
    }
    if (statuses.isEmpty() && n.isList()) {
      n.error("must list at least one status");
    }
    return statuses;
  }

  private static List<String> varyHeaders(ConfigNode n) {
    List<String> names = new ArrayList<>();
    for (String name : n.strings()) {
      if (ConfigParser.TOKEN.matcher(name).matches()) {
        names.add(name.toLowerCase(Locale.ROOT));
      } else {
        n.error("not a valid header name: '" + name + "'");
      }
    }
    return names;
  }
}
