package io.gridgate.http1;

import io.gridgate.http.ClientRequest;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Puts the Netty HTTP/1.1 core on a client connection of a Vert.x HTTP server: called from the
 * server's connection handler, it takes over the plain-text HTTP/1.x connections (see
 * {@link ServerConnection}) and leaves HTTP/2 and TLS to Vert.x. On a Vert.x with a tracer it reports
 * its exchanges to it as Vert.x's server does ({@link ServerTracing}).
 */
public final class Http1Core {
  /** Vert.x's own handler in its connection pipelines. */
  private static final String VERTX_HANDLER = "handler";
  /**
   * Vert.x's WebSocket extension handler: it counts the requests that pass it and expects an answer
   * head written through it for each (up to 128), so the core, whose answers do not pass it, sits before it.
   */
  private static final String WEBSOCKET_EXTENSIONS = "webSocketExtensionHandler";
  /** {@code -Dgridgate.netty-http1=false} leaves HTTP/1.1 to Vert.x (to measure both paths side by side). */
  private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("gridgate.netty-http1", "true"));

  private Http1Core() {}

  /** Whether the gateway serves plain HTTP/1.1, and forwards to plain HTTP/1.1 upstreams, with the core (unless switched off). */
  public static boolean enabled() {
    return ENABLED;
  }

  /**
   * The handler the core goes just before, and the edge's exchange watcher too (the core then sits
   * right after the watcher): Vert.x's WebSocket extension handler when there is one, else Vert.x's handler.
   */
  public static String firstAfterTheCore(ChannelPipeline pipeline) {
    return pipeline.get(WEBSOCKET_EXTENSIONS) != null ? WEBSOCKET_EXTENSIONS : VERTX_HANDLER;
  }

  /**
   * Serves the connection's requests with {@code handler} when the core takes it (a plain-text
   * HTTP/1.x connection); true when it did. {@code tracingPolicy} is the server's (its
   * {@code HttpServerOptions}'), used where Vert.x has a tracer. Call it only where {@link #enabled} holds.
   */
  public static boolean attach(HttpConnection connection, TracingPolicy tracingPolicy, Handler<ClientRequest> handler) {
    ConnectionBase base = (ConnectionBase) connection;
    ChannelPipeline pipeline = base.channel().pipeline();
    boolean takes = pipeline.get(Http2ConnectionHandler.class) == null
        && pipeline.get(SslHandler.class) == null
        && pipeline.get(VERTX_HANDLER) != null;
    if (takes) {
      ServerTracing tracing = ServerTracing.of(base.context(), tracingPolicy, base.channel().localAddress());
      pipeline.addBefore(firstAfterTheCore(pipeline), ServerConnection.NAME, new ServerConnection(base.context(), handler, tracing));
    }
    return takes;
  }
}
