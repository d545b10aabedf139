package io.gridgate.http1;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.internal.http.HttpHeadersInternal;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import javax.net.ssl.SSLSession;

/**
 * A client's HTTP/1.x request served by the Netty core: its head as Netty decoded it (the headers
 * are Vert.x's {@code HeadersMultiMap}, nothing copied) and its body as a {@link BodyStream}.
 * Upgrades never get here (Vert.x serves them), so it cannot become a WebSocket.
 */
final class ServerRequest extends BodyStream implements ClientRequest {
  private final ServerConnection connection;
  private final HttpRequest head;
  private final MultiMap headers;
  private final ServerResponse response;
  private final HttpMethod method;
  private final int pathEnd;
  private HostAndPort authority;
  private boolean authorityParsed;

  ServerRequest(ServerConnection connection, HttpRequest head, ContextInternal context) {
    super(context);
    this.connection = connection;
    this.head = head;
    this.headers = (MultiMap) head.headers();
    this.method = HttpMethod.valueOf(head.method().name());
    this.pathEnd = RequestTargets.pathEnd(head.uri());
    this.response = new ServerResponse(connection, context, head.protocolVersion(),
        method == HttpMethod.HEAD, HttpUtil.isKeepAlive(head));
  }

  @Override
  void demandChanged() {
    connection.readingChanged();
  }

  @Override
  public HttpMethod method() {
    return method;
  }

  @Override
  public HttpVersion version() {
    return head.protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
  }

  @Override
  public String uri() {
    return head.uri();
  }

  @Override
  public String path() {
    return RequestTargets.path(head.uri(), pathEnd);
  }

  @Override
  public String query() {
    return RequestTargets.query(head.uri(), pathEnd);
  }

  @Override
  public HostAndPort authority() {
    if (!authorityParsed) {
      authorityParsed = true;
      String host = headers.get(HttpHeaderNames.HOST);
      authority = host == null ? null : HostAndPort.parseAuthority(host, -1);
    }
    return authority;
  }

  @Override
  public MultiMap headers() {
    return headers;
  }

  /** The map of Vert.x's request decoder checks every field it takes and every one set later (unless Vert.x's checks are off). */
  @Override
  public boolean headersChecked() {
    return !HttpHeadersInternal.DISABLE_HTTP_HEADERS_VALIDATION;
  }

  @Override
  public Cookie getCookie(String name) {
    for (String line : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (io.netty.handler.codec.http.cookie.Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(line)) {
        if (cookie.name().equals(name)) {
          return Cookie.cookie(cookie.name(), cookie.value());
        }
      }
    }
    return null;
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public boolean isSSL() {
    return false;
  }

  @Override
  public SSLSession sslSession() {
    return null;
  }

  @Override
  public boolean isEnded() {
    return arrived();
  }

  @Override
  public long bytesRead() {
    return bodyBytes();
  }

  @Override
  public boolean canUpgradeToWebSocket() {
    return false;
  }

  @Override
  public Future<NetSocket> toNetSocket() {
    return context().failedFuture(new IllegalStateException("not an upgrade: upgrades are served by Vert.x"));
  }

  @Override
  public ClientResponse response() {
    return response;
  }

  ServerResponse serverResponse() {
    return response;
  }
}
