package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** Passes a request body through unchanged and fails the stream once it exceeds a byte limit. */
final class BodySizeLimiter extends ReadStreamFilter {
  /** The failure a limiter raises; the exchange answers it with 413. */
  static final class BodyTooLargeException extends RuntimeException {
    BodyTooLargeException(long limit) {
      super("request body exceeds " + limit + " bytes", null, false, false);
    }
  }

  private final long limit;
  private long seen;
  private boolean exceeded;

  BodySizeLimiter(ReadStream<Buffer> source, long limit) {
    super(source);
    this.limit = limit;
  }

  @Override
  protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
    if (exceeded) {
      return;
    }
    seen += chunk.length();
    if (seen > limit) {
      exceeded = true;
      source.pause();
      fail(new BodyTooLargeException(limit));
    } else {
      downstream.handle(chunk);
    }
  }

  @Override
  protected boolean mayFlow() {
    return !exceeded;
  }
}
