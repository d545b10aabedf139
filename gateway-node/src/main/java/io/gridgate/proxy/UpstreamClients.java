package io.gridgate.proxy;

import io.gridgate.config.PoolSpec;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.vertx.VertxUpstreamConnector;
import io.gridgate.http1.Http1Connector;
import io.gridgate.http1.Http1Core;
import io.gridgate.http1.Http1PoolSettings;
import io.gridgate.upstream.UpstreamPool;
import io.gridgate.upstream.UpstreamTlsOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
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
  /** The connect timeout of a request that names none (Vert.x's client default). */
  private static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = HttpClientOptions.DEFAULT_CONNECT_TIMEOUT;
  /** With a tracer, a client span under the request's server span, over Vert.x's client and the Netty core alike. */
  private static final TracingPolicy TRACING_POLICY = TracingPolicy.PROPAGATE;

  private final Vertx vertx;
  private final Map<String, PooledClient> clients = new HashMap<>();

  /** An upstream's connectors: Vert.x's client, and the Netty core's pool for a plain HTTP/1.1 upstream (else null). */
  private record PooledClient(UpstreamPool pool, VertxUpstreamConnector client, Http1Connector plain) {
    void retire() {
      client.shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
      if (plain != null) {
        plain.close(); // exchanges on it finish first
      }
    }
  }

  UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The connector of {@code pool}'s upstream on this event loop (a new one when the upstream's
   * definition changed): the Netty core's pool for a plain HTTP/1.1 upstream, else Vert.x's client.
   */
  UpstreamConnector forPool(UpstreamPool pool) {
    PooledClient current = current(pool);
    return current.plain() != null ? current.plain() : current.client();
  }

  /** The connector for a WebSocket upgrade to {@code pool}'s upstream: Vert.x's client, which can hand over the socket. */
  UpstreamConnector forUpgrade(UpstreamPool pool) {
    return current(pool).client();
  }

  private PooledClient current(UpstreamPool pool) {
    PooledClient current = clients.get(pool.name());
    if (current != null && current.pool() == pool) {
      return current;
    }
    if (current != null) {
      current.retire();
    }
    UpstreamSpec spec = pool.spec();
    boolean plain = Http1Core.enabled() && spec.tls() == null && spec.protocol() == UpstreamSpec.Protocol.HTTP1;
    PooledClient created = new PooledClient(pool, new VertxUpstreamConnector(create(spec)),
        plain ? new Http1Connector(vertx, poolSettings(spec.pool())) : null);
    clients.put(pool.name(), created);
    return created;
  }

  private static Http1PoolSettings poolSettings(PoolSpec pool) {
    int keepAliveSeconds = (int) Math.max(1, pool.keepAliveTimeout().toSeconds());
    return new Http1PoolSettings(pool.maxConnections(), pool.maxWaitQueue(), keepAliveSeconds,
        DEFAULT_CONNECT_TIMEOUT_MILLIS, MAX_HEADER_SIZE, TRACING_POLICY);
  }

  private HttpClient create(UpstreamSpec upstream) {
    PoolSpec pool = upstream.pool();
    int keepAliveSeconds = (int) Math.max(1, pool.keepAliveTimeout().toSeconds());
    HttpClientOptions options = UpstreamTlsOptions.client(upstream, new HttpClientOptions())
        .setKeepAlive(true)
        .setKeepAliveTimeout(keepAliveSeconds)
        .setHttp2KeepAliveTimeout(keepAliveSeconds)
        .setTcpNoDelay(true)
        .setTracingPolicy(TRACING_POLICY)
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
        entry.getValue().retire();
      }
      return removed;
    });
  }

  void close() {
    clients.values().forEach(pooled -> {
      pooled.client().close();
      if (pooled.plain() != null) {
        pooled.plain().close();
      }
    });
    clients.clear();
  }
}
