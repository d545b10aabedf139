package io.gridgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;

/**
 * Passes an upstream response body through unchanged and fails the stream with a
 * {@link TimeoutException} when no data arrives for {@code idleMillis} while it is flowing. Time
 * spent paused by back-pressure from the client does not count as idle.
 *
 * <p>Vert.x's own request idle timeout stops at the response head, so without this a target that
 * sends its headers and then stalls would hold the client until the route's total timeout.
 */
final class IdleTimeoutStream implements ReadStream<Buffer> {
  private final Vertx vertx;
  private final ReadStream<Buffer> source;
  private final long idleMillis;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long timerId = -1;
  private long lastActivityNanos = System.nanoTime();
  private boolean paused;
  private boolean finished;

  IdleTimeoutStream(Vertx vertx, ReadStream<Buffer> source, long idleMillis) {
    this.vertx = vertx;
    this.source = source;
    this.idleMillis = idleMillis;
    source.endHandler(v -> {
      finish();
      if (endHandler != null) {
        endHandler.handle(null);
      }
    });
    source.exceptionHandler(err -> {
      finish();
      if (exceptionHandler != null) {
        exceptionHandler.handle(err);
      }
    });
    schedule(idleMillis);
  }

  private void schedule(long delayMillis) {
    timerId = vertx.setTimer(Math.max(1, delayMillis), id -> check());
  }

  private void check() {
    timerId = -1;
    if (finished) {
      return;
    }
    long idleFor = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (paused || idleFor < idleMillis) {
      schedule(paused ? idleMillis : idleMillis - idleFor);
      return;
    }
    finish();
    if (exceptionHandler != null) {
      exceptionHandler.handle(new TimeoutException("no data from upstream for " + idleMillis + " ms"));
    }
  }

  private void finish() {
    finished = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
    } else {
      source.handler(chunk -> {
        lastActivityNanos = System.nanoTime();
        handler.handle(chunk);
      });
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    wake();
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    wake();
    source.fetch(amount);
    return this;
  }

  private void wake() {
    if (paused) {
      paused = false;
      lastActivityNanos = System.nanoTime();
    }
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    endHandler = handler;
    return this;
  }
}
