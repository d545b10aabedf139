package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * A message body arriving on a channel, as a Vert.x {@link ReadStream}: paused until read, what
 * arrives meanwhile queued up to {@value #QUEUE_LIMIT} bytes (the owner stops reading the channel
 * while {@link #wantsMore()} is false; as with Vert.x, a body that breaks while paused is still
 * noticed), handlers run on the exchange's context. Each chunk is handed out as a Vert.x heap
 * {@link Buffer} that the receiver owns like any other (kept, queued behind HTTP/2 flow control or
 * buffered for a retry), see docs/architecture.md#netty-http11-core. Used on its event loop only.
 */
abstract class BodyStream implements ReadStream<Buffer> {
  /** How much a paused body may queue before the channel stops reading. */
  static final int QUEUE_LIMIT = 64 * 1024;
  private static final Object END = new Object();

  private final ContextInternal context;
  private final ArrayDeque<Object> queue = new ArrayDeque<>(2);
  private long demand;
  private boolean ended;
  private Throwable failure;
  private long bodyBytes;
  private long queuedBytes;
  private Handler<Buffer> dataHandler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  BodyStream(ContextInternal context) {
    this.context = context;
  }

  /** The channel's reading may have to start or stop: demand changed. */
  abstract void demandChanged();

  final ContextInternal context() {
    return context;
  }

  /** Whether the channel may read on: what the reader has not taken is under the queue limit. */
  final boolean wantsMore() {
    return queuedBytes < QUEUE_LIMIT;
  }

  /** Whether the whole body arrived (it may still be queued). */
  final boolean arrived() {
    return ended;
  }

  final long bodyBytes() {
    return bodyBytes;
  }

  /** A chunk arrived; its reference passes to this stream. */
  final void arrive(ByteBuf content) {
    if (ended || failure != null) {
      content.release();
      return;
    }
    int length = content.readableBytes();
    if (length == 0) {
      content.release();
      return;
    }
    bodyBytes += length;
    Buffer chunk = BufferInternal.safeBuffer(content);
    if (queue.isEmpty() && demand > 0) {
      deliver(chunk);
    } else {
      queuedBytes += length;
      queue.add(chunk);
    }
  }

  /** The body ended whole. */
  final void arriveEnd() {
    if (ended || failure != null) {
      return;
    }
    ended = true;
    if (queue.isEmpty() && demand > 0) {
      deliverEnd();
    } else {
      queue.add(END);
    }
  }

  /**
   * The whole body, when it arrived and nothing read it yet: taken (one buffer, copied only when it
   * came in several chunks), the stream left ended and empty; null otherwise.
   */
  final Buffer takeWhole() {
    if (!ended || failure != null || dataHandler != null || queue.peekLast() != END) {
      return null;
    }
    Buffer whole = queue.size() == 2 ? (Buffer) queue.poll() : concatenated();
    queue.clear();
    queue.add(END);
    queuedBytes = 0;
    return whole;
  }

  private Buffer concatenated() {
    Buffer whole = Buffer.buffer((int) Math.min(queuedBytes, Integer.MAX_VALUE));
    for (Object next : queue) {
      if (next != END) {
        whole.appendBuffer((Buffer) next);
      }
    }
    return whole;
  }

  /** The body cannot complete (the connection closed, a decoding failure): reported once, what is queued dropped. */
  final void fail(Throwable cause) {
    if (failure != null || (ended && queue.isEmpty())) {
      return;
    }
    failure = cause;
    queue.clear();
    queuedBytes = 0;
    Handler<Throwable> handler = exceptionHandler;
    if (handler != null) {
      context.emit(cause, handler);
    }
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount <= 0) {
      return this;
    }
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    while (demand > 0 && !queue.isEmpty()) {
      Object next = queue.poll();
      if (next == END) {
        deliverEnd();
      } else {
        queuedBytes -= ((Buffer) next).length();
        deliver((Buffer) next);
      }
    }
    demandChanged();
    return this;
  }

  private void deliver(Buffer chunk) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    Handler<Buffer> handler = dataHandler;
    if (handler != null) {
      context.emit(chunk, handler);
    }
  }

  private void deliverEnd() {
    Handler<Void> handler = endHandler;
    if (handler != null) {
      context.emit(null, handler);
    }
  }
}
