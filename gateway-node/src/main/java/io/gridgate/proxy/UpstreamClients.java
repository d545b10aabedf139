package io.gridgate.proxy;

import io.gridgate.config.PoolSpec;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The keep-alive HTTP clients of one event loop, one per upstream pool, so that a proxied
 * exchange stays on the event loop that accepted it.
 */
final class UpstreamClients {
  private final Vertx vertx;
  private final Map<UpstreamPool, HttpClient> clients = new IdentityHashMap<>();

  UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
  }

  HttpClient forPool(UpstreamPool pool) {
    HttpClient client = clients.get(pool);
    if (client == null) {
      client = create(pool.spec().pool());
      clients.put(pool, client);
    }
    return client;
  }

  private HttpClient create(PoolSpec pool) {
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) Math.max(1, pool.keepAliveTimeout().toSeconds()))
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setMaxHeaderSize(64 * 1024);
    PoolOptions poolOptions = new PoolOptions()
        .setHttp1MaxSize(pool.maxConnections())
        .setMaxWaitQueueSize(pool.maxWaitQueue());
    return vertx.createHttpClient(options, poolOptions);
  }

  void close() {
    clients.values().forEach(HttpClient::close);
    clients.clear();
  }
}
