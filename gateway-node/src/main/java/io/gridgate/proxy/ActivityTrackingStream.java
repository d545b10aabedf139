package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Passes an upstream response body through unchanged while restarting its call's idle clock on
 * each chunk, and tells the call when the client's back-pressure pauses the stream, so that the
 * idle deadline counts only time the upstream is silent. (A request body restarts the clock through
 * {@link RequestBody}.)
 */
final class ActivityTrackingStream extends ReadStreamFilter {
  private final UpstreamCall call;

  private ActivityTrackingStream(ReadStream<Buffer> source, UpstreamCall call) {
    super(source);
    this.call = call;
  }

  /** The upstream's response body, on its way to the client. */
  static ActivityTrackingStream response(ReadStream<Buffer> body, UpstreamCall call) {
    return new ActivityTrackingStream(body, call);
  }

  @Override
  protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
    call.touch();
    downstream.handle(chunk);
  }

  @Override
  protected void onPause() {
    call.idlePaused(true);
  }

  @Override
  protected void onFlow() {
    call.idlePaused(false);
  }
}
