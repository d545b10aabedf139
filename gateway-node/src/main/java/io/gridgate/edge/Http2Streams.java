package io.gridgate.edge;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Reports when an HTTP/2 connection has open streams and when it has none to the connection's clock.
 * Runs on the connection's event loop (Netty's stream listener).
 */
final class Http2Streams extends Http2ConnectionAdapter {
  private final Http2Connection connection;
  private final ConnectionClock clock;

  private Http2Streams(Http2Connection connection, ConnectionClock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  /** Times the connection of {@code handler} as idle while it has no open stream. */
  static void attach(Http2ConnectionHandler handler, ConnectionClock clock) {
    Http2Connection connection = handler.connection();
    Http2Streams streams = new Http2Streams(connection, clock);
    connection.addListener(streams);
    streams.onChange();
  }

  @Override
  public void onStreamActive(Http2Stream stream) {
    clock.streamsOpen();
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    onChange();
  }

  private void onChange() {
    if (connection.numActiveStreams() == 0) {
      clock.streamsClosed();
    } else {
      clock.streamsOpen();
    }
  }
}
