package io.gridgate.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import javax.net.ssl.SSLSession;

/**
 * A client's request as the gateway reads it, whichever server carries it (the Netty HTTP/1.1 core,
 * or Vert.x for HTTP/2 and the rest). Its body is the stream itself: paused until the gateway reads it.
 * Names follow Vert.x's {@code HttpServerRequest}, of which this is the part the gateway uses.
 */
public interface ClientRequest extends ReadStream<Buffer> {
  HttpMethod method();

  HttpVersion version();

  /** The request-target as sent. */
  String uri();

  /** The path of the request-target, not normalised. */
  String path();

  /** The query of the request-target, without {@code ?}; null when it has none. */
  String query();

  /** Host and port from {@code Host} (HTTP/1.x) or {@code :authority} (HTTP/2); null when absent. */
  HostAndPort authority();

  /** The request's headers; the gateway may change them before routing (e.g. an absolute-form target's Host). */
  MultiMap headers();

  /**
   * Whether Vert.x's header check ({@code HttpUtils.validateHeader}) accepted every header as it
   * was decoded and checks every one set later (the map Vert.x's HTTP/1.x decoder fills), so a copy
   * need not check them again. False unless an implementation knows it.
   */
  default boolean headersChecked() {
    return false;
  }

  default String getHeader(CharSequence name) {
    return headers().get(name);
  }

  /** The named cookie of the request's {@code Cookie} headers, or null. */
  Cookie getCookie(String name);

  /** The peer of the connection (the client, or the proxy in front of it). */
  SocketAddress remoteAddress();

  boolean isSSL();

  /** The TLS session of the connection (its client certificate, if any); null on a plain connection. */
  SSLSession sslSession();

  /** Whether the client has sent the whole request (its body included). */
  boolean isEnded();

  /** Bytes of the request read from the client so far (head and body). */
  long bytesRead();

  /** Whether this is a WebSocket upgrade request the gateway can accept. */
  boolean canUpgradeToWebSocket();

  /**
   * Writes the response head (101 and its headers) and hands over the raw connection, for a tunnel;
   * fails when the request is not an upgrade.
   */
  Future<NetSocket> toNetSocket();

  /** The answer to this request. */
  ClientResponse response();
}
