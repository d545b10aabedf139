package io.gridgate.http;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream's answer to an {@link UpstreamRequest}: its head, then its body as a stream with
 * back-pressure, then its trailers. Names follow Vert.x's {@code HttpClientResponse}.
 */
public interface UpstreamResponse extends ReadStream<Buffer> {
  int statusCode();

  String statusMessage();

  MultiMap headers();

  /** The trailers, once the body ended (empty when there were none). */
  MultiMap trailers();

  /** The request this answers. */
  UpstreamRequest request();

  /**
   * The whole body, when it arrived with the head and nothing read it yet: taken, and the stream is
   * then an ended, empty one; null otherwise (a body still arriving is read as the stream). Lets a
   * small answer be relayed in one write, head and body together, as nginx does.
   */
  default Buffer takeWholeBody() {
    return null;
  }

  /** After a 101 answer to {@link UpstreamRequest#connect()}: the raw connection, for a tunnel. */
  NetSocket netSocket();
}
