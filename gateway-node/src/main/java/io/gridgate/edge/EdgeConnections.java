package io.gridgate.edge;

import io.gridgate.http1.Http1Core;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The client listener's connection handler: Vert.x calls it for a new HTTP/1 connection once its
 * pipeline is set up (before the first request is handed on) and for an HTTP/2 connection once the
 * client's SETTINGS arrived (before any stream). The HTTP/1 part works on any Vert.x; the timing
 * parts only where the connection has a {@link ConnectionClock} (a Vert.x built by {@link EdgeVertx}).
 */
public final class EdgeConnections {
  private EdgeConnections() {}

  /** Sets up a new client connection (the listener's {@code connectionHandler}). */
  public static void configure(HttpConnection connection) {
    ChannelPipeline pipeline = ((ConnectionBase) connection).channel().pipeline();
    ConnectionClock clock = (ConnectionClock) pipeline.get(ConnectionClock.NAME);
    Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
    if (http2 == null) {
      // where the Netty core goes too, so the core (added later, before the same handler) follows this watcher
      pipeline.addBefore(Http1Core.firstAfterTheCore(pipeline), Http1Exchanges.NAME, new Http1Exchanges(clock));
    } else if (clock != null) {
      Http2Streams.attach(http2, clock);
    }
  }
}
