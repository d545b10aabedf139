package io.gridgate.http.vertx;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import javax.net.ssl.SSLSession;

/** A {@link ClientRequest} served by Vert.x's HTTP server: thin delegation to its {@link HttpServerRequest}. */
public final class VertxClientRequest implements ClientRequest {
  private final HttpServerRequest request;
  private final VertxClientResponse response;

  public VertxClientRequest(HttpServerRequest request) {
    this.request = request;
    this.response = new VertxClientResponse(request.response(), request);
  }

  /** The Vert.x request this one delegates to. */
  public HttpServerRequest unwrap() {
    return request;
  }

  @Override
  public HttpMethod method() {
    return request.method();
  }

  @Override
  public HttpVersion version() {
    return request.version();
  }

  @Override
  public String uri() {
    return request.uri();
  }

  @Override
  public String path() {
    return request.path();
  }

  @Override
  public String query() {
    return request.query();
  }

  @Override
  public HostAndPort authority() {
    return request.authority();
  }

  @Override
  public MultiMap headers() {
    return request.headers();
  }

  @Override
  public String getHeader(CharSequence name) {
    return request.getHeader(name);
  }

  @Override
  public Cookie getCookie(String name) {
    return request.getCookie(name);
  }

  @Override
  public SocketAddress remoteAddress() {
    return request.remoteAddress();
  }

  @Override
  public boolean isSSL() {
    return request.isSSL();
  }

  @Override
  public SSLSession sslSession() {
    return request.connection().sslSession();
  }

  @Override
  public boolean isEnded() {
    return request.isEnded();
  }

  @Override
  public long bytesRead() {
    return request.bytesRead();
  }

  @Override
  public boolean canUpgradeToWebSocket() {
    return request.canUpgradeToWebSocket();
  }

  @Override
  public Future<NetSocket> toNetSocket() {
    return request.toNetSocket();
  }

  @Override
  public ClientResponse response() {
    return response;
  }

  @Override
  public VertxClientRequest exceptionHandler(Handler<Throwable> handler) {
    request.exceptionHandler(handler);
    return this;
  }

  @Override
  public VertxClientRequest handler(Handler<Buffer> handler) {
    request.handler(handler);
    return this;
  }

  @Override
  public VertxClientRequest pause() {
    request.pause();
    return this;
  }

  @Override
  public VertxClientRequest resume() {
    request.resume();
    return this;
  }

  @Override
  public VertxClientRequest fetch(long amount) {
    request.fetch(amount);
    return this;
  }

  @Override
  public VertxClientRequest endHandler(Handler<Void> handler) {
    request.endHandler(handler);
    return this;
  }
}
