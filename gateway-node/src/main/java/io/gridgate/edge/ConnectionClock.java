package io.gridgate.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The deadline of one client connection, first in its pipeline. From accept, the first request head
 * (HTTP/1) or the HTTP/2 connection set-up (the TLS handshake included) must be complete within
 * {@code request_header}; a connection with nothing in flight (HTTP/1 between requests, HTTP/2 with
 * no open stream) may stay idle for {@code keep_alive}; once an idle HTTP/1 connection receives
 * bytes again, that next head must be complete within {@code request_header}. Nothing in flight is
 * ever timed here, and an upgraded connection (WebSocket) no longer is. {@link ClockSweep} closes
 * connections past their deadline. Used on its event loop only.
 */
final class ConnectionClock extends ChannelInboundHandlerAdapter {
  static final String NAME = "edge-clock";

  private final Channel channel;
  private final long requestHeaderNanos;
  private final long keepAliveNanos;
  private boolean armed;
  private long deadline;
  private boolean awaitingRequest;
  private int requestsInFlight;
  private boolean tunnel;
  private Runnable floodPenalty = () -> { };

  ConnectionClock(Channel channel, long requestHeaderNanos, long keepAliveNanos) {
    this.channel = channel;
    this.requestHeaderNanos = requestHeaderNanos;
    this.keepAliveNanos = keepAliveNanos;
    arm(requestHeaderNanos);
  }

  Channel channel() {
    return channel;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaitingRequest) {
      awaitingRequest = false;
      arm(requestHeaderNanos);
    }
    ctx.fireChannelRead(msg);
  }

  /** An HTTP/1 request head was decoded: nothing is timed while it is served. */
  void requestHead() {
    requestsInFlight++;
    awaitingRequest = false;
    armed = false;
  }

  /** An HTTP/1 response ended; with no other request in flight the connection is idle. */
  void responseEnd() {
    if (!tunnel && requestsInFlight > 0 && --requestsInFlight == 0) {
      awaitingRequest = true;
      arm(keepAliveNanos);
    }
  }

  /** The connection switched protocols (WebSocket): it is no longer timed. */
  void tunnel() {
    tunnel = true;
    awaitingRequest = false;
    armed = false;
  }

  /** An HTTP/2 connection has open streams. */
  void streamsOpen() {
    armed = false;
  }

  /** An HTTP/2 connection has no open stream. */
  void streamsClosed() {
    arm(keepAliveNanos);
  }

  /** What to do when the connection is ended for flooding (its client's cooldown). */
  void onFlood(Runnable penalty) {
    this.floodPenalty = penalty;
  }

  /** The connection was ended for flooding (HTTP/2 GOAWAY ENHANCE_YOUR_CALM). */
  void flooded() {
    floodPenalty.run();
  }

  boolean isPastDeadline(long now) {
    return armed && now - deadline >= 0;
  }

  private void arm(long timeoutNanos) {
    armed = true;
    deadline = System.nanoTime() + timeoutNanos;
  }
}
