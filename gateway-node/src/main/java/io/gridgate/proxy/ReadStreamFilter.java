package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A body stream that passes another stream's chunks, flow control and end through unchanged
 * except for what a subclass adds in its hooks; used to watch bodies on their way through.
 */
abstract class ReadStreamFilter implements ReadStream<Buffer> {
  protected final ReadStream<Buffer> source;
  private Handler<Throwable> exceptionHandler;

  protected ReadStreamFilter(ReadStream<Buffer> source) {
    this.source = source;
  }

  /** Called for each chunk: pass it on with {@code downstream.handle(chunk)} or hold it back. */
  protected abstract void onChunk(Buffer chunk, Handler<Buffer> downstream);

  /** Whether the source may flow again; a filter that failed the stream keeps it stopped. */
  protected boolean mayFlow() {
    return true;
  }

  /** The consumer paused the stream. */
  protected void onPause() {
  }

  /** The consumer let the stream flow again. */
  protected void onFlow() {
  }

  /** Fails the stream, as the consumer sees it. */
  protected void fail(Throwable cause) {
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> onChunk(chunk, handler));
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    onPause();
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (mayFlow()) {
      onFlow();
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (mayFlow()) {
      onFlow();
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
