package io.gridgate.http.vertx;

import io.gridgate.http.ClientResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.VertxConnection;

/** A {@link ClientResponse} written by Vert.x's HTTP server: thin delegation to its {@link HttpServerResponse}. */
public final class VertxClientResponse implements ClientResponse {
  private final HttpServerResponse response;
  private final HttpServerRequest request;

  /** The answer {@code response} to {@code request}. */
  public VertxClientResponse(HttpServerResponse response, HttpServerRequest request) {
    this.response = response;
    this.request = request;
  }

  @Override
  public int getStatusCode() {
    return response.getStatusCode();
  }

  @Override
  public ClientResponse setStatusCode(int status) {
    response.setStatusCode(status);
    return this;
  }

  @Override
  public ClientResponse setStatusMessage(String reason) {
    response.setStatusMessage(reason);
    return this;
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
  public ClientResponse setChunked(boolean chunked) {
    response.setChunked(chunked);
    return this;
  }

  @Override
  public boolean headWritten() {
    return response.headWritten();
  }

  @Override
  public boolean ended() {
    return response.ended();
  }

  @Override
  public boolean closed() {
    return response.closed();
  }

  @Override
  public ClientResponse writeContinue() {
    response.writeContinue();
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return response.write(data);
  }

  @Override
  public Future<Void> end() {
    return response.end();
  }

  @Override
  public Future<Void> end(Buffer last) {
    return response.end(last);
  }

  @Override
  public ClientResponse closeHandler(Handler<Void> handler) {
    response.closeHandler(handler);
    return this;
  }

  @Override
  public ClientResponse endHandler(Handler<Void> handler) {
    response.endHandler(handler);
    return this;
  }

  @Override
  public boolean reset(long code) {
    response.reset(code);
    return true;
  }

  @Override
  public long bytesWritten() {
    return response.bytesWritten();
  }

  @Override
  public ClientResponse closeConnectionAfter() {
    if (request.version() != HttpVersion.HTTP_2) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    return this;
  }

  @Override
  public void flushNow() {
    if (request.connection() instanceof VertxConnection connection) {
      connection.flush();
    }
  }

  @Override
  public void closeConnection() {
    request.connection().close();
  }

  @Override
  public ClientResponse exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public ClientResponse setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public ClientResponse drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }
}
