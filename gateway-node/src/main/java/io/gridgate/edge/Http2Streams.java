package io.gridgate.edge;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Reports to the connection's clock when an HTTP/2 connection has open streams and when it has none,
 * and when it was ended for flooding (GOAWAY ENHANCE_YOUR_CALM, sent by Netty's or Vert.x's flood
 * protections). Runs on the connection's event loop (Netty's stream listener).
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

  @Override
  public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
    if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      clock.flooded();
    }
  }

  private void onChange() {
    if (connection.numActiveStreams() == 0) {
      clock.streamsClosed();
    } else {
      clock.streamsOpen();
    }
  }
}
