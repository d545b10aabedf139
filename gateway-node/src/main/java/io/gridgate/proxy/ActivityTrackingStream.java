package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes an upstream response body through unchanged while telling its exchange when data
 * arrives and when the client's back-pressure pauses the stream, so that the idle deadline
 * counts only time the upstream is silent.
 */
final class ActivityTrackingStream extends ReadStreamFilter {
  private final Exchange exchange;

  ActivityTrackingStream(ReadStream<Buffer> source, Exchange exchange) {
    super(source);
    this.exchange = exchange;
  }

  @Override
  protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
    exchange.touch();
    downstream.handle(chunk);
  }

  @Override
  protected void onPause() {
    exchange.idlePaused(true);
  }

  @Override
  protected void onFlow() {
    exchange.idlePaused(false);
  }
}
