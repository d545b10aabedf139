package io.gridgate.upstream;

import io.gridgate.config.HashOn;
import io.gridgate.config.TargetSpec;
import io.gridgate.config.UpstreamSpec;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Set;

/** A named pool of targets and the strategy that spreads requests over them. */
public final class UpstreamPool {
  private final UpstreamSpec spec;
  private final Target[] targets;
  private final LoadBalancer balancer;

  public UpstreamPool(UpstreamSpec spec) {
    this(spec, null);
  }

  /**
   * A new version of an upstream: targets whose definition and passive check did not change keep
   * their health, ejection and in-flight state from {@code previous} (which may be null).
   */
  public UpstreamPool(UpstreamSpec spec, UpstreamPool previous) {
    this.spec = spec;
    this.targets = spec.targets().stream().map(t -> carriedOver(t, previous)).toArray(Target[]::new);
    this.balancer = LoadBalancer.create(spec.strategy(), targets);
  }

  private Target carriedOver(TargetSpec target, UpstreamPool previous) {
    if (previous != null && previous.spec.passiveHealthCheck().equals(spec.passiveHealthCheck())) {
      for (Target old : previous.targets) {
        if (old.spec().equals(target)) {
          return old;
        }
      }
    }
    return new Target(target, spec.passiveHealthCheck());
  }

  public UpstreamSpec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public List<Target> targets() {
    return List.of(targets);
  }

  /** Picks a target for a request, or null when no target is available. */
  public Target pick(HttpServerRequest request, String clientAddress, Set<Target> tried) {
    String key = spec.strategy() == UpstreamSpec.BalancingStrategy.CONSISTENT_HASH
        ? hashKey(request, clientAddress) : null;
    return balancer.pick(key, tried, System.nanoTime());
  }

  private String hashKey(HttpServerRequest request, String clientAddress) {
    HashOn on = spec.hashOn();
    return switch (on.source()) {
      case HEADER -> request.getHeader(on.name());
      case COOKIE -> {
        Cookie cookie = request.getCookie(on.name());
        yield cookie == null ? null : cookie.getValue();
      }
      case CLIENT_ADDRESS -> clientAddress;
    };
  }
}
