package io.gridgate.http1;

import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.UpstreamRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.HashMap;
import java.util.Map;

/**
 * The Netty core's {@link UpstreamConnector} for one plain-HTTP/1.1 upstream on one event loop: a
 * keep-alive pool per target ({@link TargetConnections}) whose connections live on the event loop
 * that created the connector, with Netty's client codec; the exchanges' handlers run on the
 * caller's context. Call it from that event loop only; {@link #close} may come from any thread.
 */
public final class Http1Connector implements UpstreamConnector {
  private final Http1PoolSettings settings;
  private final ContextInternal home;
  private final Bootstrap bootstrap;
  private final UpstreamTracing tracing;
  private final Map<TargetKey, TargetConnections> targets = new HashMap<>();
  private volatile boolean closed;

  /** A connector on the event loop of the current Vert.x context (an event-loop context). */
  public Http1Connector(Vertx vertx, Http1PoolSettings settings) {
    this.settings = settings;
    this.home = ((VertxInternal) vertx).getOrCreateContext();
    this.bootstrap = new Bootstrap()
        .group(home.nettyEventLoop())
        .channelFactory(((VertxInternal) vertx).transport().channelFactory(false))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true);
    this.tracing = UpstreamTracing.of(home, settings.tracingPolicy());
  }

  /** As Vert.x's client does, throws {@link IllegalStateException} once closed. */
  @Override
  public Future<UpstreamRequest> request(RequestOptions options) {
    if (closed) {
      throw new IllegalStateException("the upstream connector is closed");
    }
    ContextInternal caller = ContextInternal.current();
    if (caller == null && home.nettyEventLoop().inEventLoop()) {
      caller = home;
    }
    if (caller == null || caller.nettyEventLoop() != home.nettyEventLoop()) {
      return home.failedFuture(new IllegalStateException("an upstream connector is used from its own event loop only"));
    }
    if (!RequestBytes.isSendable(options.getURI())) { // refused before a connection is leased
      return caller.failedFuture(new IllegalArgumentException("a request target with a space or a control character"));
    }
    TargetKey key = new TargetKey(options.getHost(), options.getPort());
    TargetConnections target = targets.get(key);
    if (target == null) {
      target = new TargetConnections(settings, bootstrap, tracing, options.getHost(), options.getPort());
      targets.put(key, target);
    }
    Promise<UpstreamRequest> promise = caller.promise();
    target.acquire(options, caller, promise);
    return promise.future();
  }

  /** A target's address (a record: its hash comes from the host string's cached hash, no string is built per request). */
  private record TargetKey(String host, int port) {}

  @Override
  public Future<Void> close() {
    closed = true;
    Promise<Void> done = home.promise();
    home.runOnContext(v -> {
      targets.values().forEach(TargetConnections::close);
      done.complete();
    });
    return done.future();
  }
}
