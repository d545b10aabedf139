package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes a body through unchanged while restarting its exchange's idle clock on each chunk. On an
 * upstream response it also tells the exchange when the client's back-pressure pauses the stream,
 * so that the idle deadline counts only time the upstream is silent; on a request body it keeps a
 * client still streaming to an upstream that answers only at the end (a gRPC client-streaming
 * call, a long upload) from being idle.
 */
final class ActivityTrackingStream extends ReadStreamFilter {
  private final Exchange exchange;
  private final boolean pausesHoldIdle;

  private ActivityTrackingStream(ReadStream<Buffer> source, Exchange exchange, boolean pausesHoldIdle) {
    super(source);
    this.exchange = exchange;
    this.pausesHoldIdle = pausesHoldIdle;
  }

  /** The upstream's response body, on its way to the client. */
  static ActivityTrackingStream response(ReadStream<Buffer> body, Exchange exchange) {
    return new ActivityTrackingStream(body, exchange, true);
  }

  /** The client's request body, on its way to the upstream. */
  static ActivityTrackingStream request(ReadStream<Buffer> body, Exchange exchange) {
    return new ActivityTrackingStream(body, exchange, false);
  }

  @Override
  protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
    exchange.touch();
    downstream.handle(chunk);
  }

  @Override
  protected void onPause() {
    if (pausesHoldIdle) {
      exchange.idlePaused(true);
    }
  }

  @Override
  protected void onFlow() {
    if (pausesHoldIdle) {
      exchange.idlePaused(false);
    }
  }
}
