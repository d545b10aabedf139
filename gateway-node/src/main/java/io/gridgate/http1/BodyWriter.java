package io.gridgate.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.streams.WriteStream;

/**
 * A message the core writes to a channel, as a Vert.x {@link WriteStream}: full while the channel is
 * not writable (its write-buffer water marks bound what is queued), drained when it is again;
 * handlers run on the exchange's context. Used on its event loop only.
 */
abstract class BodyWriter implements WriteStream<Buffer> {
  private final ContextInternal context;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  BodyWriter(ContextInternal context) {
    this.context = context;
  }

  /** Whether the channel takes writes now. */
  abstract boolean channelWritable();

  /** Whether the message was written whole or abandoned (no more drain events). */
  abstract boolean over();

  final ContextInternal context() {
    return context;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return !channelWritable();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  /** The channel can take writes again. */
  final void writable() {
    Handler<Void> handler = drainHandler;
    if (handler != null && !over()) {
      context.emit(null, handler);
    }
  }

  /** Reports {@code cause} to the exception handler. */
  final void failed(Throwable cause) {
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) {
      context.emit(cause, handler);
    }
  }

  /** A Vert.x future of a channel write. */
  final Future<Void> completion(io.netty.util.concurrent.Future<?> write) {
    if (write.isDone()) { // flushed at once, as most writes on the event loop are: no listener needed
      return write.isSuccess() ? context.succeededFuture() : context.failedFuture(write.cause());
    }
    Promise<Void> promise = context.promise();
    write.addListener(done -> {
      if (done.isSuccess()) {
        promise.tryComplete();
      } else {
        promise.tryFail(done.cause());
      }
    });
    return promise.future();
  }

  /** HTTP/1.1 chunked framing on, or off, in {@code headers}. */
  static void chunked(MultiMap headers, boolean chunked) {
    if (chunked) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    } else {
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
    }
  }

  /** Whether a body may stream before its end: its length is declared or it is chunked. */
  static boolean framedForStreaming(MultiMap headers) {
    return headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.CONTENT_LENGTH);
  }
}
