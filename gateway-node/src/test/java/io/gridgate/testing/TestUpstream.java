package io.gridgate.testing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real upstream HTTP server on {@code 127.0.0.1:0} for integration tests: it records the head of
 * every request it receives (and counts them, health probes separately), tags every response with
 * {@code X-Served-By: <name>} and hands the request to a test-supplied handler.
 */
public final class TestUpstream {
  public static final String SERVED_BY = "X-Served-By";

  /** The head of one request as the upstream received it. */
  public record Received(String method, String uri, String path, HttpVersion version, MultiMap headers) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  final String name;
  private final HttpServer server;
  private final String healthPath;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicInteger completedBodies = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private volatile int healthStatus = 200;

  private TestUpstream(Vertx vertx, String name, String healthPath, Handler<HttpServerRequest> handler,
                       Handler<ServerWebSocket> webSockets) {
    this.name = name;
    this.healthPath = healthPath;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          request.response().putHeader(SERVED_BY, name);
          if (healthPath != null && healthPath.equals(request.path())) {
            probes.incrementAndGet();
            request.response().setStatusCode(healthStatus).end();
            return;
          }
          received.add(new Received(request.method().name(), request.uri(), request.path(), request.version(),
              HttpHeaders.headers().addAll(request.headers())));
          handler.handle(request);
        });
    if (webSockets != null) {
      server.webSocketHandler(webSockets);
    }
  }

  /** Starts an upstream answering every request with {@code handler}. */
  public static TestUpstream start(Vertx vertx, String name, Handler<HttpServerRequest> handler) {
    return start(vertx, name, null, handler, null);
  }

  /**
   * Starts an upstream; requests to {@code healthPath} (when not null) are answered with the current
   * {@link #healthStatus(int)} and counted as probes, not as requests.
   */
  public static TestUpstream start(Vertx vertx, String name, String healthPath, Handler<HttpServerRequest> handler,
                            Handler<ServerWebSocket> webSockets) {
    TestUpstream upstream = new TestUpstream(vertx, name, healthPath, handler, webSockets);
    GatewayFixture.await(upstream.server.listen());
    return upstream;
  }

  /** An upstream that reads the whole body and answers 200 with the body echoed back. */
  static TestUpstream echo(Vertx vertx, String name) {
    return start(vertx, name, echoHandler());
  }

  /** Reads the whole body and answers 200 echoing it, with the method and URI it saw in headers. */
  static Handler<HttpServerRequest> echoHandler() {
    return request -> request.body().onSuccess(body -> request.response()
        .putHeader("X-Upstream-Method", request.method().name())
        .putHeader("X-Upstream-Uri", request.uri())
        .end(body));
  }

  /** Answers every request with {@code status} and a short body, after reading the request body. */
  public static Handler<HttpServerRequest> statusHandler(int status) {
    return request -> request.body().onComplete(ar -> request.response().setStatusCode(status).end("status " + status));
  }

  /**
   * Answers {@code answer N} (N counts the requests this handler answered) shaped by the query:
   * {@code status}, {@code cc} (Cache-Control), {@code cookie} (adds a Set-Cookie), {@code etag},
   * {@code vary}, {@code size} (a body of that many bytes instead, {@code chunked} without a length)
   * and {@code abort} (declares 100 bytes, sends 10, then closes the connection).
   */
  public static Handler<HttpServerRequest> scriptedHandler() {
    AtomicInteger answered = new AtomicInteger();
    return request -> {
      HttpServerResponse response = request.response();
      String body = "answer " + answered.incrementAndGet();
      response.setStatusCode(Integer.parseInt(request.params().get("status") == null ? "200" : request.getParam("status")));
      for (String[] header : new String[][] {{"cc", "Cache-Control"}, {"etag", "ETag"}, {"vary", "Vary"}}) {
        if (request.getParam(header[0]) != null) {
          response.putHeader(header[1], request.getParam(header[0]));
        }
      }
      if (request.getParam("cookie") != null) {
        response.putHeader("Set-Cookie", "session=1");
      }
      if (request.getParam("abort") != null) {
        response.putHeader("Content-Length", "100").write("0123456789").onComplete(v -> request.connection().close());
        return;
      }
      if (request.getParam("size") != null) {
        body = "x".repeat(Integer.parseInt(request.getParam("size")));
        response.setChunked(request.getParam("chunked") != null);
      }
      response.end(body);
    };
  }

  /**
   * Counts body bytes without keeping them ({@link #bodyBytes()}), and answers the count once the
   * body has ended ({@link #completedBodies()} counts those).
   */
  Handler<HttpServerRequest> countingHandler() {
    return request -> {
      AtomicLong count = new AtomicLong();
      request.handler(chunk -> {
        count.addAndGet(chunk.length());
        bodyBytes.addAndGet(chunk.length());
      });
      request.endHandler(v -> {
        completedBodies.incrementAndGet();
        request.response().end(Long.toString(count.get()));
      });
    };
  }

  /** Starts an upstream whose handler is {@link #countingHandler()}. */
  public static TestUpstream counting(Vertx vertx, String name) {
    TestUpstream[] self = new TestUpstream[1];
    self[0] = start(vertx, name, request -> self[0].countingHandler().handle(request));
    return self[0];
  }

  int port() {
    return server.actualPort();
  }

  /** {@code 127.0.0.1:port}, as written in a gateway configuration. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Requests received (health probes excluded). */
  public int requests() {
    return received.size();
  }

  /** How many requests each of {@code upstreams} received (health probes excluded), in argument order. */
  public static List<Integer> requestCounts(TestUpstream... upstreams) {
    return Arrays.stream(upstreams).map(TestUpstream::requests).toList();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    if (received.isEmpty()) {
      throw new AssertionError("upstream " + name + " received no request");
    }
    return received.get(received.size() - 1);
  }

  public int probes() {
    return probes.get();
  }

  /** What {@code healthPath} answers from now on. */
  public void healthStatus(int status) {
    healthStatus = status;
  }

  public int completedBodies() {
    return completedBodies.get();
  }

  public long bodyBytes() {
    return bodyBytes.get();
  }

  /** Stops listening and closes the server's connections. */
  public void close() {
    GatewayFixture.await(closeAsync());
  }

  /** {@link #close()} without waiting, for use on an event loop. */
  public Future<Void> closeAsync() {
    return server.close();
  }
}
