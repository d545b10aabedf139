package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes an upstream response body through unchanged while restarting its exchange's idle clock on
 * each chunk, and tells the exchange when the client's back-pressure pauses the stream, so that the
 * idle deadline counts only time the upstream is silent. (A request body restarts the clock through
 * {@link RequestBody}.)
 */
final class ActivityTrackingStream extends ReadStreamFilter {
  private final Exchange exchange;

  private ActivityTrackingStream(ReadStream<Buffer> source, Exchange exchange) {
    super(source);
    this.exchange = exchange;
  }

  /** The upstream's response body, on its way to the client. */
  static ActivityTrackingStream response(ReadStream<Buffer> body, Exchange exchange) {
    return new ActivityTrackingStream(body, exchange);
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
