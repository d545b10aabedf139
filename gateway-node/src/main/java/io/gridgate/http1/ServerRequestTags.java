package io.gridgate.http1;

import io.gridgate.http.ClientRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.spi.tracing.TagExtractor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The attributes of a server span of the Netty core, as Vert.x 5.0.7's HTTP server names them
 * (HttpUtils.SERVER_REQUEST_TAG_EXTRACTOR): {@code http.url}, {@code http.request.method},
 * {@code url.scheme}, {@code url.path}, and {@code url.query} when there is one. The URL is the
 * absolute-form target as sent, else built from {@code Host} (the port named unless 80), else from
 * the connection's local address (Vert.x: the server's listen host). Vert.x 5.0.7 writes {@code :-1}
 * for a {@code Host} without a port, a bug fixed upstream; the core names no port then.
 */
final class ServerRequestTags implements TagExtractor<ClientRequest> {
  private static final String SCHEME = "http"; // the core serves plain-text connections only
  private static final int DEFAULT_PORT = 80;
  private final String origin;

  ServerRequestTags(SocketAddress local) {
    this.origin = local instanceof InetSocketAddress inet
        ? SCHEME + "://" + inet.getHostString() + ":" + inet.getPort() : SCHEME + "://localhost";
  }

  @Override
  public int len(ClientRequest request) {
    return request.query() == null ? 4 : 5;
  }

  @Override
  public String name(ClientRequest request, int index) {
    return switch (index) {
      case 0 -> "http.url";
      case 1 -> "http.request.method";
      case 2 -> "url.scheme";
      case 3 -> "url.path";
      case 4 -> "url.query";
      default -> throw new IndexOutOfBoundsException("Invalid tag index " + index);
    };
  }

  @Override
  public String value(ClientRequest request, int index) {
    return switch (index) {
      case 0 -> url(request);
      case 1 -> request.method().name();
      case 2 -> SCHEME;
      case 3 -> request.path();
      case 4 -> request.query();
      default -> throw new IndexOutOfBoundsException("Invalid tag index " + index);
    };
  }

  private String url(ClientRequest request) {
    String uri = request.uri();
    if ("*".equals(uri)) {
      return null;
    }
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      return uri;
    }
    HostAndPort authority = request.authority();
    if (authority == null) {
      return origin + uri;
    }
    int port = authority.port();
    return SCHEME + "://" + authority.host() + (port > 0 && port != DEFAULT_PORT ? ":" + port : "") + uri;
  }
}
