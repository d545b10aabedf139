package io.gridgate.http1;

import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream of the core's tests, a Vert.x HTTP server: {@code /hello}, {@code /echo} (the body back),
 * {@code /stream?bytes=n} (n bytes, with back-pressure), {@code /slow?ms=n}, {@code /close}
 * (answers with {@code Connection: close}), {@code /hang} (never answers), {@code /hold} (reads the
 * body only once released), {@code /empty} (204), {@code /same} (304), {@code /head} (5 bytes),
 * {@code /traceparent} (the request's {@code traceparent} headers, comma-separated).
 */
final class CoreUpstream {
  private static final int CHUNK = 16 * 1024;
  private final Vertx vertx;
  private HttpServer server;
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  final AtomicLong streamed = new AtomicLong();
  final AtomicBoolean streamPaused = new AtomicBoolean();
  final AtomicLong held = new AtomicLong();
  final AtomicBoolean holdPaused = new AtomicBoolean();
  private volatile HttpServerRequest holding;
  private volatile Context holdingContext;

  CoreUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  int start() {
    server = vertx.createHttpServer()
        .connectionHandler(connection -> {
          accepted.incrementAndGet();
          connections.add(connection);
          connection.closeHandler(v -> connections.remove(connection));
        })
        .requestHandler(this::serve);
    return GatewayFixture.await(server.listen(0, "127.0.0.1")).actualPort();
  }

  int port() {
    return server.actualPort();
  }

  /** Lets the body of the request held at {@code /hold} flow. */
  void releaseHold() {
    HttpServerRequest request = holding;
    holdingContext.runOnContext(v -> request.resume());
  }

  boolean holding() {
    return holding != null;
  }

  /** Closes every connection the upstream has open (as an upstream's idle timeout would). */
  void closeConnections() {
    connections.forEach(HttpConnection::close);
  }

  private void serve(HttpServerRequest request) {
    requests.incrementAndGet();
    HttpServerResponse response = request.response();
    switch (request.path()) {
      case "/hello" -> response.end("hello");
      case "/echo" -> {
        if (request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
          response.putHeader(HttpHeaders.CONTENT_LENGTH, request.getHeader(HttpHeaders.CONTENT_LENGTH));
        } else {
          response.setChunked(true);
        }
        request.pipeTo(response);
      }
      case "/stream" -> stream(response, Long.parseLong(request.getParam("bytes")));
      case "/slow" -> vertx.setTimer(Long.parseLong(request.getParam("ms")), t -> response.end("slow done"));
      case "/close" -> response.putHeader(HttpHeaders.CONNECTION, "close").end("closing");
      case "/hang" -> { }
      case "/hold" -> hold(request);
      case "/empty" -> response.setStatusCode(204).end();
      case "/same" -> response.setStatusCode(304).putHeader(HttpHeaders.ETAG, "\"v1\"").end();
      case "/traceparent" -> response.end(String.join(",", request.headers().getAll("traceparent")));
      case "/head" -> response.putHeader(HttpHeaders.CONTENT_LENGTH, "5").end(request.method().name().equals("HEAD") ? "" : "12345");
      default -> response.setStatusCode(404).end();
    }
  }

  private void stream(HttpServerResponse response, long total) {
    response.setChunked(true);
    Buffer chunk = Buffer.buffer(new byte[CHUNK]);
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      while (streamed.get() < total) {
        if (response.writeQueueFull()) {
          streamPaused.set(true);
          response.drainHandler(v -> more[0].run());
          return;
        }
        response.write(chunk);
        streamed.addAndGet(CHUNK);
      }
      response.end();
    };
    more[0].run();
  }

  private void hold(HttpServerRequest request) {
    request.pause();
    request.handler(data -> held.addAndGet(data.length()));
    request.endHandler(v -> request.response().end(Long.toString(held.get())));
    holdingContext = Vertx.currentContext();
    holding = request;
    holdPaused.set(true);
  }

  Future<Void> close() {
    return server.close();
  }
}
