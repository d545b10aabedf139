package io.gridgate.proxy;

import io.gridgate.config.ClientTimeouts;
import java.util.function.Consumer;

/**
 * The client-side clocks of one request body while the gateway reads it: no bytes for
 * {@code client_timeouts.request_body}, or an average below {@code min_body_rate} once the body
 * has been read that long, times it out. Time the gateway itself holds the body back (waiting for
 * an upstream connection, upstream back-pressure) counts for neither. Checked by the event loop's
 * {@link DeadlineSweeper}; used from that event loop only.
 */
final class BodyClock implements DeadlineSweeper.Deadline {
  private final DeadlineSweeper sweeper;
  private final long silenceNanos;
  private final long minBytesPerSecond;
  private final Consumer<String> onTimeout;
  private long startedNanos;
  private long lastDataNanos;
  private long pausedSinceNanos;
  private long pausedNanos;
  private long bytes;
  private boolean running;
  private boolean paused;
  private boolean stopped;

  /** A clock that, once overdue, stops and hands {@code onTimeout} the reason. */
  BodyClock(DeadlineSweeper sweeper, ClientTimeouts timeouts, Consumer<String> onTimeout) {
    this.sweeper = sweeper;
    this.silenceNanos = timeouts.requestBody().toNanos();
    this.minBytesPerSecond = timeouts.minBodyRate();
    this.onTimeout = onTimeout;
  }

  /** The gateway lets the body flow: the clock runs (from now, the first time). */
  void flowing() {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    if (!running) {
      running = true;
      startedNanos = now;
      lastDataNanos = now;
      sweeper.track(this);
    } else if (paused) {
      pausedNanos += now - pausedSinceNanos;
      lastDataNanos = now;
    }
    paused = false;
  }

  /** The gateway holds the body back: until it flows again, silence is not the client's. */
  void held() {
    if (running && !paused) {
      paused = true;
      pausedSinceNanos = System.nanoTime();
    }
  }

  /** {@code count} body bytes arrived. */
  void received(int count) {
    bytes += count;
    lastDataNanos = System.nanoTime();
  }

  /** The body ended, failed or was abandoned: the clock stops for good. */
  void stop() {
    stopped = true;
    if (running) {
      running = false;
      sweeper.untrack(this);
    }
  }

  @Override
  public boolean isOverdue(long now) {
    return !paused && (now - lastDataNanos >= silenceNanos || tooSlow(now));
  }

  private boolean tooSlow(long now) {
    long readNanos = now - startedNanos - pausedNanos;
    return minBytesPerSecond > 0 && readNanos >= silenceNanos && bytes < minBytesPerSecond * (readNanos / 1e9);
  }

  @Override
  public void timeOut(long now) {
    String reason = now - lastDataNanos >= silenceNanos
        ? "no request body bytes arrived for " + silenceNanos / 1_000_000 + " ms"
        : "the request body arrived slower than " + minBytesPerSecond + " bytes per second";
    stop();
    onTimeout.accept(reason);
  }
}
