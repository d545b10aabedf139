package io.gridgate.proxy;

import io.gridgate.config.NodeSettings;
import io.gridgate.http.ClientRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.function.Consumer;

/**
 * A client's request body as the gateway reads it: the one reader behind request buffering and the
 * JSON request transform. The body stays paused until the gateway reads it; then {@code 100 Continue}
 * goes out if the client expects it, more than {@code max_body_size} fails the body with a
 * {@link BodySizeLimiter.BodyTooLargeException}, and a {@link BodyClock} watches the client (except
 * on gRPC calls, whose streams may rightly be quiet). The start of the body can be held in memory,
 * budgeted by the node's {@link RequestBufferBudget}, before the upstream is called.
 */
final class RequestBody {
  private final ClientRequest request;
  private final ReadStream<Buffer> stream;
  private final boolean grpc;
  /** Null on gRPC calls. */
  private final BodyClock clock;
  private final int bufferSize;
  private final RequestBufferBudget budget;
  private Runnable onActivity = () -> { };
  private Consumer<String> onTimeout = reason -> { };
  private Consumer<Throwable> onFailure = failure -> { };
  private Buffer held;
  /** The body as a step changed it, sent instead of the client's. */
  private Buffer replaced;
  private long reserved;
  private boolean reading;
  private boolean ended;
  private boolean streaming;

  /** The body of {@code request}, paused until read, with {@code node}'s limits and client timeouts. */
  RequestBody(ClientRequest request, DeadlineSweeper sweeper, NodeSettings node, RequestBufferBudget budget) {
    request.pause();
    this.request = request;
    long maxBodySize = node.limits().maxBodySize();
    this.stream = new Watched(maxBodySize > 0 ? new BodySizeLimiter(request, maxBodySize) : request);
    this.grpc = GrpcErrors.isGrpc(request);
    this.clock = grpc ? null : new BodyClock(sweeper, node.clientTimeouts(), reason -> onTimeout.accept(reason));
    this.bufferSize = node.limits().requestBufferSize();
    this.budget = budget;
    stream.exceptionHandler(null); // a failure before any reader (e.g. a bad chunk while an upstream connects) is reported too
  }

  /**
   * {@code onActivity} runs for each chunk read; {@code onTimeout} gets the reason when the body clock
   * runs out; {@code onFailure} gets every failure of the body (too large, cut off, malformed), whether
   * or not a reader is reading it at the time.
   */
  void watch(Runnable onActivity, Consumer<String> onTimeout, Consumer<Throwable> onFailure) {
    this.onActivity = onActivity;
    this.onTimeout = onTimeout;
    this.onFailure = onFailure;
  }

  /**
   * Holds up to the node's {@code request_buffer_size}, within the node's budget; completes at once
   * for a gRPC call (always streamed) or when buffering is off (size 0).
   */
  Future<Void> buffer() {
    return grpc || bufferSize == 0 ? Future.succeededFuture() : hold(bufferSize, budget);
  }

  /**
   * Holds the body, outside the node's budget, until it ends or exceeds {@code limit} bytes (then
   * {@link #whole()} is null); for a reader that needs the whole body, such as a transform.
   */
  Future<Void> holdUpTo(long limit) {
    return hold(limit, null);
  }

  /**
   * Reads the body into memory until it ends or more than {@code bound} bytes are held, then pauses
   * it. With a {@code memory} budget, each held chunk is reserved from it, and a refused reservation
   * stops the holding early (the body then streams). Fails as the body does: too large, or cut off.
   */
  private Future<Void> hold(long bound, RequestBufferBudget memory) {
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(v -> {
      if (held == null) {
        held = Buffer.buffer(0);
      }
      done.tryComplete();
    });
    stream.handler(chunk -> {
      if (held == null) {
        held = Buffer.buffer(chunk.length());
      }
      held.appendBuffer(chunk);
      boolean reservable = memory == null || reserve(memory, chunk.length());
      if (!reservable || held.length() > bound) {
        stream.pause();
        done.tryComplete();
      }
    });
    stream.resume();
    return done.future();
  }

  private boolean reserve(RequestBufferBudget memory, int bytes) {
    if (!memory.tryReserve(bytes)) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  /**
   * The whole body when it has been held to its end (possibly empty) or replaced; null when (the
   * rest of) it must stream.
   */
  Buffer whole() {
    return replaced != null ? replaced : ended ? held : null;
  }

  /** A step changed the body (read whole): every attempt sends {@code changed} instead. */
  void replaceWith(Buffer changed) {
    this.replaced = changed;
  }

  /** Whether the client has sent the whole body and the gateway read it. */
  boolean isRead() {
    return ended;
  }

  /**
   * Sends the body on to {@code upstream}: what was held (whose memory goes back to the budget), then
   * the rest as it arrives, with back-pressure. Completes when the body ended; fails as the body or
   * the upstream does, and the body is then read no further.
   */
  Future<Void> streamTo(WriteStream<Buffer> upstream) {
    if (held != null && held.length() > 0) {
      upstream.write(held);
    }
    release();
    streaming = true;
    return stream.pipe().endOnFailure(false).to(upstream).andThen(ar -> {
      streaming = false;
      stopClock();
    });
  }

  /** The exchange ended: held memory goes back, and the clock stops unless the body still streams upstream. */
  void exchangeFinished() {
    release();
    if (!streaming) {
      stopClock();
    }
  }

  /**
   * Stops the client sending the rest of the body: an HTTP/1.x connection is closed (the unread body
   * cannot be skipped), an HTTP/2 stream reset (with NO_ERROR when the answer is complete).
   */
  void abandon() {
    stopClock();
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset(0);
    } else {
      request.response().closeConnection();
    }
  }

  private void release() {
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
    if (!ended) {
      held = null; // what was held went upstream; a whole body stays for the exchange's last attempt
    }
  }

  private void stopClock() {
    if (clock != null) {
      clock.stop();
    }
  }

  /** The first read of the body: the client that asked for it now gets {@code 100 Continue}. */
  private void startReading() {
    reading = true;
    if (request.version() != HttpVersion.HTTP_1_0 && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
  }

  /** The body stream as read: counts for the clock and the exchange's activity, and notes the end. */
  private final class Watched extends ReadStreamFilter {
    Watched(ReadStream<Buffer> source) {
      super(source);
    }

    @Override
    protected void onChunk(Buffer chunk, Handler<Buffer> downstream) {
      if (clock != null) {
        clock.received(chunk.length());
      }
      onActivity.run();
      downstream.handle(chunk);
    }

    @Override
    protected void onPause() {
      if (clock != null) {
        clock.held();
      }
    }

    @Override
    protected void onFlow() {
      if (!reading) {
        startReading();
      }
      if (clock != null) {
        clock.flowing();
      }
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      return super.endHandler(handler == null ? null : v -> {
        ended = true;
        stopClock();
        handler.handle(v);
      });
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return super.exceptionHandler(failure -> {
        stopClock();
        onFailure.accept(failure);
        if (handler != null) {
          handler.handle(failure);
        }
      });
    }
  }
}
