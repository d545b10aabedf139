package io.gridgate.http1;

import io.gridgate.edge.EdgeConnections;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x HTTP server with the Netty core attached (as the gateway attaches it, after the edge's
 * per-connection set-up) whose core requests a small forwarder sends through an {@link Http1Connector}
 * to {@code upstreamPort}; requests the core hands to Vert.x are answered {@code 200 "vertx"}.
 */
final class CoreFixture extends VerticleBase {
  /** Headers not forwarded: those of one hop only, and the trace context (a tracing Vert.x writes the upstream's). */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-connection", "traceparent", "tracestate");

  private final int upstreamPort;
  private final Http1PoolSettings pool;
  final AtomicInteger coreRequests = new AtomicInteger();
  final AtomicInteger vertxRequests = new AtomicInteger();
  final AtomicInteger upstreamFailures = new AtomicInteger();
  /** Exchanges whose client response has not ended (nor been reset) yet. */
  final Set<ClientRequest> open = ConcurrentHashMap.newKeySet();
  /** The last request the core served. */
  volatile ClientRequest lastCoreRequest;
  private HttpServer server;
  private Http1Connector connector;

  CoreFixture(int upstreamPort, Http1PoolSettings pool) {
    this.upstreamPort = upstreamPort;
    this.pool = pool;
  }

  static Http1PoolSettings pool(int maxConnections, int maxWaitQueue) {
    return pool(maxConnections, maxWaitQueue, 60);
  }

  static Http1PoolSettings pool(int maxConnections, int maxWaitQueue, int keepAliveSeconds) {
    return new Http1PoolSettings(maxConnections, maxWaitQueue, keepAliveSeconds, 5_000, 16 * 1024, TracingPolicy.PROPAGATE);
  }

  @Override
  public Future<?> start() {
    connector = new Http1Connector(vertx, pool);
    HttpServerOptions options = new HttpServerOptions().setHandle100ContinueAutomatically(false);
    server = vertx.createHttpServer(options)
        .connectionHandler(connection -> {
          EdgeConnections.configure(connection);
          Http1Core.attach(connection, options.getTracingPolicy(), this::forward);
        })
        .requestHandler(this::vertxServed);
    return server.listen(0, "127.0.0.1");
  }

  int port() {
    return server.actualPort();
  }

  Future<Void> drain(long millis) {
    return server.shutdown(millis, TimeUnit.MILLISECONDS);
  }

  private void vertxServed(HttpServerRequest request) {
    vertxRequests.incrementAndGet();
    request.response().end("vertx");
  }

  private void forward(ClientRequest request) {
    coreRequests.incrementAndGet();
    lastCoreRequest = request;
    open.add(request);
    ClientResponse response = request.response();
    response.endHandler(v -> open.remove(request));
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(upstreamPort)
        .setMethod(request.method()).setURI(request.uri());
    connector.request(options).onComplete(opened -> {
      if (opened.failed()) {
        badGateway(request);
        return;
      }
      UpstreamRequest upstream = opened.result();
      copy(request.headers(), upstream.headers());
      if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
        upstream.setChunked(true);
      }
      response.closeHandler(v -> {
        open.remove(request);
        upstream.reset();
      });
      request.pipe().endOnFailure(false).to(upstream); // a broken body resets, never ends, the other side
      upstream.response().onComplete(answered -> {
        if (answered.failed()) {
          badGateway(request);
          return;
        }
        var answer = answered.result();
        response.setStatusCode(answer.statusCode());
        copy(answer.headers(), response.headers());
        if (answer.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
          response.setChunked(true);
        }
        answer.pipe().endOnFailure(false).to(response).onFailure(e -> {
          open.remove(request);
          response.reset();
        });
      });
    });
  }

  private void badGateway(ClientRequest request) {
    upstreamFailures.incrementAndGet();
    if (request.response().headWritten()) {
      open.remove(request);
      request.response().reset();
    } else {
      request.response().setStatusCode(502).end("bad gateway");
    }
  }

  private static void copy(MultiMap from, MultiMap to) {
    from.forEach((name, value) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        to.add(name, value);
      }
    });
  }

  /** Deploys {@code fixture} on {@code vertx} (one event loop, so the pool is shared by every connection). */
  static CoreFixture deploy(Vertx vertx, CoreFixture fixture) {
    GatewayFixture.await(vertx.deployVerticle(fixture));
    return fixture;
  }
}
