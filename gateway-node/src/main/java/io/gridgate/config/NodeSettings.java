package io.gridgate.config;

import java.time.Duration;
import java.util.List;

/**
 * Settings of one node: listeners, event loops, request and connection limits, client timeouts,
 * trusted proxies, drain time, cluster membership, TLS on the client listener (null for plain HTTP),
 * the access log, tracing and the memory budget of the response cache (bytes; 0 turns caching off).
 */
public record NodeSettings(
    Listener http,
    Listener admin,
    int eventLoops,
    RequestLimits limits,
    ConnectionLimits connections,
    ClientTimeouts clientTimeouts,
    List<Cidr> trustedProxies,
    Duration drainTimeout,
    ClusterSettings cluster,
    ServerTls httpTls,
    AccessLogSettings accessLog,
    TracingSettings tracing,
    long cacheMaxSize) {
  /** The response cache's memory budget when {@code node.cache.max_size} is not given. */
  public static final long DEFAULT_CACHE_MAX_SIZE = 64L * 1024 * 1024;

  public NodeSettings {
    trustedProxies = List.copyOf(trustedProxies);
  }

  public NodeSettings withHttpPort(int port) {
    return new NodeSettings(new Listener(http.host(), port), admin, eventLoops, limits, connections, clientTimeouts, trustedProxies, drainTimeout, cluster, httpTls, accessLog, tracing, cacheMaxSize);
  }

  public NodeSettings withAdminPort(int port) {
    return new NodeSettings(http, new Listener(admin.host(), port), eventLoops, limits, connections, clientTimeouts, trustedProxies, drainTimeout, cluster, httpTls, accessLog, tracing, cacheMaxSize);
  }

  public NodeSettings withCluster(ClusterSettings settings) {
    return new NodeSettings(http, admin, eventLoops, limits, connections, clientTimeouts, trustedProxies, drainTimeout, settings, httpTls, accessLog, tracing, cacheMaxSize);
  }

  /** True when {@code address} (an IP literal) is a trusted proxy; it is parsed once, not per block. */
  public boolean isTrustedProxy(String address) {
    if (trustedProxies.isEmpty()) {
      return false;
    }
    byte[] bytes = Cidr.literal(address);
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(bytes)) {
        return true;
      }
    }
    return false;
  }
}
