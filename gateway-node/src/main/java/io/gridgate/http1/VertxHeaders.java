package io.gridgate.http1;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/** Makes Netty's HTTP decoder build Vert.x's {@link HeadersMultiMap} (validated), which is both Netty headers and a Vert.x MultiMap. */
final class VertxHeaders implements HttpHeadersFactory {
  static final VertxHeaders FACTORY = new VertxHeaders();

  private VertxHeaders() {}

  @Override
  public HttpHeaders newHeaders() {
    return HeadersMultiMap.httpHeaders();
  }

  @Override
  public HttpHeaders newEmptyHeaders() {
    return HeadersMultiMap.httpHeaders();
  }
}
