package io.gridgate.http.vertx;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

/** An {@link UpstreamRequest} on Vert.x's HTTP client: thin delegation to its {@link HttpClientRequest}. */
public final class VertxUpstreamRequest implements UpstreamRequest {
  private final HttpClientRequest request;

  VertxUpstreamRequest(HttpClientRequest request) {
    this.request = request;
  }

  @Override
  public MultiMap headers() {
    return request.headers();
  }

  @Override
  public HttpVersion version() {
    return request.version();
  }

  @Override
  public UpstreamRequest authority(HostAndPort authority) {
    request.authority(authority);
    return this;
  }

  @Override
  public UpstreamRequest setChunked(boolean chunked) {
    request.setChunked(chunked);
    return this;
  }

  @Override
  public Future<Void> sendHead() {
    return request.sendHead();
  }

  @Override
  public Future<Void> write(Buffer data) {
    return request.write(data);
  }

  @Override
  public Future<Void> end() {
    return request.end();
  }

  @Override
  public Future<Void> end(Buffer last) {
    return request.end(last);
  }

  @Override
  public boolean reset() {
    request.reset();
    return true;
  }

  @Override
  public Future<UpstreamResponse> response() {
    return request.response().map(response -> new VertxUpstreamResponse(response, this));
  }

  @Override
  public Future<UpstreamResponse> connect() {
    return request.connect().map(response -> new VertxUpstreamResponse(response, this));
  }

  @Override
  public void closeConnection() {
    request.connection().close();
  }

  @Override
  public UpstreamRequest exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
    return this;
  }

  @Override
  public UpstreamRequest setWriteQueueMaxSize(int maxSize) {
    request.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return request.writeQueueFull();
  }

  @Override
  public UpstreamRequest drainHandler(Handler<Void> handler) {
    request.drainHandler(handler);
    return this;
  }
}
