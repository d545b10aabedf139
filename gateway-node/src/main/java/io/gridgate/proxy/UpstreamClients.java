package io.gridgate.proxy;

import io.gridgate.config.PoolSpec;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.upstream.UpstreamTlsOptions;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.vertx.VertxUpstreamConnector;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive HTTP clients of one event loop, one per upstream, so that a proxied exchange
 * stays on the event loop that accepted it (HTTP/1.1 or HTTP/2 as the upstream's {@code protocol}
 * says, over HTTPS with the upstream's pinned CA when it has {@code tls}). When a configuration push changes an upstream, its
 * old client is shut down gracefully: exchanges already on it finish, new ones use the new pool.
 */
final class UpstreamClients {
  /** How long exchanges on a replaced client may take to finish. */
  private static final long RETIRE_GRACE_SECONDS = 300;
  /** The largest upstream response head accepted, over HTTP/1.1 and HTTP/2 alike. */
  private static final int MAX_HEADER_SIZE = 64 * 1024;

  private final Vertx vertx;
  private final Map<String, PooledClient> clients = new HashMap<>();

  private record PooledClient(UpstreamPool pool, VertxUpstreamConnector client) {}

  UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The connector of {@code pool}'s upstream on this event loop (a new one when the upstream's definition changed). */
  UpstreamConnector forPool(UpstreamPool pool) {
    PooledClient current = clients.get(pool.name());
    if (current != null && current.pool() == pool) {
      return current.client();
    }
    if (current != null) {
      current.client().shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
    VertxUpstreamConnector client = new VertxUpstreamConnector(create(pool.spec()));
    clients.put(pool.name(), new PooledClient(pool, client));
    return client;
  }

  private HttpClient create(UpstreamSpec upstream) {
    PoolSpec pool = upstream.pool();
    int keepAliveSeconds = (int) Math.max(1, pool.keepAliveTimeout().toSeconds());
    HttpClientOptions options = UpstreamTlsOptions.client(upstream, new HttpClientOptions())
        .setKeepAlive(true)
        .setKeepAliveTimeout(keepAliveSeconds)
        .setHttp2KeepAliveTimeout(keepAliveSeconds)
        .setTcpNoDelay(true)
        .setTracingPolicy(TracingPolicy.PROPAGATE) // a client span under the request's server span
        .setDecompressionSupported(false)
        .setMaxHeaderSize(MAX_HEADER_SIZE)
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(MAX_HEADER_SIZE));
    // HTTP/2 multiplexes: a target gets a further connection only when its open ones carry as many
    // streams as the target's SETTINGS_MAX_CONCURRENT_STREAMS allows
    PoolOptions poolOptions = new PoolOptions()
        .setHttp1MaxSize(pool.maxConnections())
        .setHttp2MaxSize(pool.maxConnections())
        .setMaxWaitQueueSize(pool.maxWaitQueue());
    return vertx.createHttpClient(options, poolOptions);
  }

  /** Shuts down, gracefully, the clients of upstreams a push removed. */
  void retainOnly(java.util.Set<String> upstreamNames) {
    clients.entrySet().removeIf(entry -> {
      boolean removed = !upstreamNames.contains(entry.getKey());
      if (removed) {
        entry.getValue().client().shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
      }
      return removed;
    });
  }

  void close() {
    clients.values().forEach(pooled -> pooled.client().close());
    clients.clear();
  }
}
