package io.gridgate.http.vertx;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.net.NetSocket;

/** An {@link UpstreamResponse} read by Vert.x's HTTP client: thin delegation to its {@link HttpClientResponse}. */
final class VertxUpstreamResponse implements UpstreamResponse {
  private final HttpClientResponse response;
  private final UpstreamRequest request;

  VertxUpstreamResponse(HttpClientResponse response, UpstreamRequest request) {
    this.response = response;
    this.request = request;
  }

  @Override
  public int statusCode() {
    return response.statusCode();
  }

  @Override
  public String statusMessage() {
    return response.statusMessage();
  }

  @Override
  public MultiMap headers() {
    return response.headers();
  }

  @Override
  public MultiMap trailers() {
    return response.trailers();
  }

  @Override
  public UpstreamRequest request() {
    return request;
  }

  @Override
  public NetSocket netSocket() {
    return response.netSocket();
  }

  @Override
  public UpstreamResponse exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public UpstreamResponse handler(Handler<Buffer> handler) {
    response.handler(handler);
    return this;
  }

  @Override
  public UpstreamResponse pause() {
    response.pause();
    return this;
  }

  @Override
  public UpstreamResponse resume() {
    response.resume();
    return this;
  }

  @Override
  public UpstreamResponse fetch(long amount) {
    response.fetch(amount);
    return this;
  }

  @Override
  public UpstreamResponse endHandler(Handler<Void> handler) {
    response.endHandler(handler);
    return this;
  }
}
