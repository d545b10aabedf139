package io.gridgate.config;

import io.gridgate.config.UpstreamSpec.BalancingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code upstreams} section: targets, balancing, pool, health checks, breaker, bulkhead and TLS. */
final class UpstreamParser {
  private static final Pattern TARGET_HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9a-fA-F:.]+]");

  private final EdgeParser edge;

  UpstreamParser(EdgeParser edge) {
    this.edge = edge;
  }

  /** The {@code upstreams} section, by name; at least one is required. */
  Map<String, UpstreamSpec> parse(ConfigNode n) {
    Map<String, UpstreamSpec> out = new LinkedHashMap<>();
    if (n.isMissing() || (n.isMap() && n.entries().isEmpty())) {
      n.error("is required: at least one upstream");
      return out;
    }
    n.entries().forEach((name, u) -> {
      if (!ConfigParser.NAME.matcher(name).matches()) {
        u.error("upstream name must match " + ConfigParser.NAME.pattern());
      }
      out.put(name, upstream(name, u));
    });
    return out;
  }

  private UpstreamSpec upstream(String name, ConfigNode u) {
    u.allowOnly(Set.of("targets", "strategy", "hash_on", "pool", "health_check", "circuit_breaker", "bulkhead", "tls",
        "protocol"));
    List<TargetSpec> targets = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ConfigNode t : u.get("targets").items()) {
      TargetSpec target = target(t);
      if (target != null && !seen.add(target.address())) {
        t.error("duplicate target " + target.address());
      } else if (target != null) {
        targets.add(target);
      }
    }
    if (u.get("targets").isMissing() || (u.get("targets").isList() && u.get("targets").items().isEmpty())) {
      u.get("targets").error("is required: at least one target");
    }
    BalancingStrategy strategy = u.get("strategy").enumValue(BalancingStrategy.class, BalancingStrategy.ROUND_ROBIN);
    HashOn hashOn = hashOn(u.get("hash_on"));
    if (strategy == BalancingStrategy.CONSISTENT_HASH && u.get("hash_on").isMissing()) {
      u.get("hash_on").error("is required with strategy consistent_hash");
    }
    ConfigNode pool = u.get("pool").allowOnly(Set.of("max_connections", "max_wait_queue", "keep_alive_timeout"));
    ConfigNode health = u.get("health_check").allowOnly(Set.of("active", "passive"));
    return new UpstreamSpec(name, targets, strategy, hashOn,
        new PoolSpec(
            pool.get("max_connections").integer(128, 1, 100_000),
            pool.get("max_wait_queue").integer(1024, 0, 1_000_000),
            pool.get("keep_alive_timeout").duration(Duration.ofSeconds(60))),
        activeHealth(health.get("active")),
        passiveHealth(health.get("passive")),
        circuitBreaker(u.get("circuit_breaker")),
        bulkhead(u.get("bulkhead")),
        edge.upstreamTls(u.get("tls")),
        u.get("protocol").enumValue(UpstreamSpec.Protocol.class, UpstreamSpec.Protocol.HTTP1));
  }

  private TargetSpec target(ConfigNode t) {
    t.allowOnly(Set.of("address", "weight"));
    String address = t.get("address").requiredString();
    int weight = t.get("weight").integer(1, 1, 1000);
    if (address == null) {
      return null;
    }
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : "";
    int port = -1;
    try {
      port = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    if (!TARGET_HOST.matcher(host).matches() || port < 1 || port > 65535) {
      t.get("address").error("must be host:port with a port 1..65535 (was '" + address + "')");
      return null;
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TargetSpec(host, port, weight);
  }

  private HashOn hashOn(ConfigNode n) {
    if (n.isMissing()) {
      return HashOn.CLIENT;
    }
    if (n.isScalar()) {
      if (!"client_address".equals(n.string(""))) {
        n.error("must be client_address, {header: NAME} or {cookie: NAME}");
      }
      return HashOn.CLIENT;
    }
    n.allowOnly(Set.of("header", "cookie"));
    if (!n.get("header").isMissing()) {
      return new HashOn(HashOn.Source.HEADER, ConfigParser.headerName(n.get("header")));
    }
    if (!n.get("cookie").isMissing()) {
      return new HashOn(HashOn.Source.COOKIE, n.get("cookie").requiredString());
    }
    n.error("must name a header or a cookie");
    return HashOn.CLIENT;
  }

  private ActiveHealthCheck activeHealth(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("path", "interval", "timeout", "healthy_threshold", "unhealthy_threshold"));
    String path = n.get("path").requiredString();
    if (path != null && !path.startsWith("/")) {
      n.get("path").error("must start with '/'");
    }
    return new ActiveHealthCheck(path,
        n.get("interval").duration(Duration.ofSeconds(5)),
        n.get("timeout").duration(Duration.ofSeconds(2)),
        n.get("healthy_threshold").integer(2, 1, 100),
        n.get("unhealthy_threshold").integer(3, 1, 100));
  }

  private PassiveHealthCheck passiveHealth(ConfigNode n) {
    n.allowOnly(Set.of("max_failures", "ejection", "max_ejection"));
    PassiveHealthCheck check = new PassiveHealthCheck(
        n.get("max_failures").integer(5, 0, 1000),
        n.get("ejection").duration(Duration.ofSeconds(10)),
        n.get("max_ejection").duration(Duration.ofMinutes(5)));
    if (check.maxEjection().compareTo(check.baseEjection()) < 0) {
      n.get("max_ejection").error("must not be shorter than ejection");
    }
    return check;
  }

  private CircuitBreakerSpec circuitBreaker(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("failure_ratio", "min_calls", "consecutive_failures", "window", "open_for",
        "half_open_successes", "scope"));
    boolean noTrigger = n.get("failure_ratio").isMissing() && n.get("consecutive_failures").isMissing();
    return new CircuitBreakerSpec(
        n.get("failure_ratio").fraction(0),
        n.get("min_calls").integer(20, 1, 1_000_000),
        n.get("consecutive_failures").integer(noTrigger ? 5 : 0, 1, 1_000_000),
        ConfigParser.boundedDuration(n.get("window"), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1)),
        ConfigParser.boundedDuration(n.get("open_for"), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1)),
        n.get("half_open_successes").integer(3, 1, 1000),
        n.get("scope").enumValue(CircuitBreakerSpec.Scope.class, CircuitBreakerSpec.Scope.CLUSTER));
  }

  private BulkheadSpec bulkhead(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("max_concurrent"));
    if (n.get("max_concurrent").isMissing()) {
      n.get("max_concurrent").error("is required");
    }
    return new BulkheadSpec(n.get("max_concurrent").integer(1, 1, 1_000_000));
  }
}
