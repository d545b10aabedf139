package io.gridgate.proxy;

import io.gridgate.config.NodeSettings;
import io.gridgate.config.RequestLimits;
import io.gridgate.edge.EdgeConnections;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.gridgate.http.vertx.VertxClientRequest;
import io.gridgate.http1.Http1Core;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.tracing.TracingPolicy;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client-facing HTTP server of one event loop (HTTP/1.1 and h2c, or HTTPS with h2 by ALPN),
 * with its own upstream clients. Plain-text HTTP/1.x requests are served by the Netty core
 * ({@link Http1Core}), the rest by Vert.x; both hand them to the same {@link GatewayHandler}.
 */
public final class ProxyVerticle extends VerticleBase {
  /** Room for the method, spaces and protocol around the URI in a request line. */
  private static final int REQUEST_LINE_OVERHEAD = 24;
  /** How often clients of upstreams removed by a push are looked for. */
  private static final long RETIRE_CHECK_MILLIS = 10_000;

  private final Supplier<GatewayState> state;
  private final int port;
  private HttpServer server;
  private UpstreamClients clients;
  private DeadlineSweeper deadlines;
  private long retireTimer;

  /** A server on the configured host and {@code port} (all instances of a node share one port). */
  public ProxyVerticle(Supplier<GatewayState> state, int port) {
    this.state = state;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    NodeSettings node = state.get().node();
    clients = new UpstreamClients(vertx);
    deadlines = new DeadlineSweeper(vertx);
    deadlines.start();
    retireTimer = vertx.setPeriodic(RETIRE_CHECK_MILLIS, id -> clients.retainOnly(state.get().pools().keySet()));
    GatewayHandler gateway = new GatewayHandler(vertx, deadlines, state, clients);
    boolean netty = Http1Core.enabled();
    HttpServerOptions options = serverOptions(node).setPort(port);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          EdgeConnections.configure(connection);
          Http2RequestHeadGuard.install(connection);
          if (netty) {
            Http1Core.attach(connection, options.getTracingPolicy(), gateway);
          }
        })
        .requestHandler(vertxRequests(gateway))
        .invalidRequestHandler(ProxyVerticle::invalidRequest);
    return server.listen();
  }

  static HttpServerOptions serverOptions(NodeSettings node) {
    RequestLimits limits = node.limits();
    HttpServerOptions options = new HttpServerOptions();
    // Vert.x's initial HTTP/2 settings, with our stream and header-list limits
    options.getInitialSettings()
        .setMaxConcurrentStreams(node.connections().maxConcurrentStreams())
        .setMaxHeaderListSize(limits.maxHeaderSize());
    return ListenerTls.apply(node.httpTls(), options
        .setHost(node.http().host())
        .setMaxHeaderSize(limits.maxHeaderSize())
        .setMaxInitialLineLength(limits.maxUriLength() + REQUEST_LINE_OVERHEAD)
        .setSslHandshakeTimeout(node.clientTimeouts().requestHeader().toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2ClearTextEnabled(true)
        .setHandle100ContinueAutomatically(false) // RequestBody sends 100 Continue when it starts reading the body
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setTcpNoDelay(true)
        .setTracingPolicy(TracingPolicy.ALWAYS) // with OpenTelemetry on, a client without a trace gets one
        .setStrictThreadMode(true));
  }

  /** Hands the gateway each Vert.x request through the seam's Vert.x adapter. */
  private static Handler<HttpServerRequest> vertxRequests(Handler<ClientRequest> gateway) {
    return request -> gateway.handle(new VertxClientRequest(request));
  }

  /** Requests Netty could not decode: 414 for a long request line, 431 for large headers, else 400. */
  private static void invalidRequest(HttpServerRequest request) {
    int status = statusFor(request.decoderResult().cause());
    ClientResponse response = new VertxClientRequest(request).response().closeConnectionAfter();
    ErrorResponses.send(response, status,
        status == 414 ? "uri_too_long" : status == 431 ? "headers_too_large" : "bad_request",
        status == 414 ? "request line too long" : status == 431 ? "request headers too large" : "malformed request",
        RequestIds.create());
    request.connection().close();
  }

  private static int statusFor(Throwable cause) {
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      return 414;
    }
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      return 431;
    }
    return 400;
  }

  /** Stops accepting and lets in-flight exchanges finish for up to {@code drainMillis}. */
  public Future<Void> drain(long drainMillis) {
    return server.shutdown(drainMillis, TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    deadlines.stop();
    vertx.cancelTimer(retireTimer);
    clients.close();
    return Future.succeededFuture();
  }
}
