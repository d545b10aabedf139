package io.gridgate.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.WriteStream;

/**
 * One request to an upstream target on a connection of an {@link UpstreamConnector}: headers, then
 * the body with back-pressure, then the answer. Names follow Vert.x's {@code HttpClientRequest}.
 */
public interface UpstreamRequest extends WriteStream<Buffer> {
  /** The request headers, changeable until the head is sent. */
  MultiMap headers();

  /**
   * Adds a header that Vert.x's header check accepted already (a copy of a client's header, see
   * {@link ClientRequest#headersChecked}): where the implementation can, it is not checked again.
   */
  default void addChecked(CharSequence name, CharSequence value) {
    headers().add(name, value);
  }

  /**
   * Sets a header whose name and value are known to pass Vert.x's header check (the gateway's own
   * names with values it made or checked): where the implementation can, it is not checked again.
   */
  default void setChecked(CharSequence name, CharSequence value) {
    headers().set(name, value);
  }

  /** The protocol of the connection the request goes out on. */
  HttpVersion version();

  /** Names the host the request is for: HTTP/2's {@code :authority} (HTTP/1.1 upstreams get a Host header). */
  UpstreamRequest authority(HostAndPort authority);

  /** HTTP/1.1: send the body chunked (no Content-Length). */
  UpstreamRequest setChunked(boolean chunked);

  /** Sends the head now (before any body), e.g. for a body that streams. */
  Future<Void> sendHead();

  Future<Void> end(Buffer last);

  /** Abandons the request: the connection is closed (HTTP/1.x) or the stream reset (HTTP/2), never reused mid-exchange. */
  boolean reset();

  /** The answer's head, once it arrived (its body follows on the {@link UpstreamResponse}). */
  Future<UpstreamResponse> response();

  /** Sends the request as an upgrade (WebSocket): completes with the answer, whose socket a 101 hands over. */
  Future<UpstreamResponse> connect();

  /** Closes the connection this request is on (after a head write failed half-way). */
  void closeConnection();
}
