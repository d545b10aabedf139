package io.gridgate.http1;

import io.gridgate.http.ClientRequest;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Puts the Netty HTTP/1.1 core on a client connection of a Vert.x HTTP server: called from the
 * server's connection handler, it takes over the plain-text HTTP/1.x connections (see
 * {@link ServerConnection}) and leaves HTTP/2, TLS and, on a Vert.x with an OpenTelemetry tracer,
 * everything to Vert.x (whose server spans the tracing relies on).
 */
public final class Http1Core {
  /** Vert.x's own handler in its connection pipelines. */
  private static final String VERTX_HANDLER = "handler";

  private Http1Core() {}

  /** Serves the connection's requests with {@code handler} when the core takes it; true when it did. */
  public static boolean attach(HttpConnection connection, Handler<ClientRequest> handler) {
    ConnectionBase base = (ConnectionBase) connection;
    ChannelPipeline pipeline = base.channel().pipeline();
    boolean takes = pipeline.get(Http2ConnectionHandler.class) == null
        && pipeline.get(SslHandler.class) == null
        && pipeline.get(VERTX_HANDLER) != null
        && ((VertxInternal) base.context().owner()).tracer() == null;
    if (takes) {
      pipeline.addBefore(VERTX_HANDLER, ServerConnection.NAME, new ServerConnection(base.context(), handler));
    }
    return takes;
  }
}
