package io.gridgate.edge;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The client listener's connection handler: Vert.x calls it for a new HTTP/1 connection once its
 * pipeline is set up (before the first request is handed on) and for an HTTP/2 connection once the
 * client's SETTINGS arrived (before any stream). Works on any Vert.x; the timing parts only where the
 * connection has a {@link ConnectionClock} (a Vert.x built by {@link EdgeVertx}).
 */
public final class EdgeConnections {
  private EdgeConnections() {}

  /** Configures each new connection for {@code maxConcurrentStreams} HTTP/2 streams at most. */
  public static Handler<HttpConnection> configurer(int maxConcurrentStreams) {
    return connection -> {
      ChannelPipeline pipeline = ((ConnectionBase) connection).channel().pipeline();
      ConnectionClock clock = (ConnectionClock) pipeline.get(ConnectionClock.NAME);
      Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
      if (http2 != null) {
        Http2Streams.attach(http2, maxConcurrentStreams, clock);
      } else if (pipeline.get(Http1Exchanges.NAME) == null) {
        pipeline.addBefore("handler", Http1Exchanges.NAME, new Http1Exchanges(clock));
      }
    };
  }
}
