package io.gridgate.load;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;

/**
 * The windows of a {@code fixed_window} limit, as the gateway cuts them: aligned to the epoch on
 * the clock of the bucket's owner. The load runs on the same machine as the cluster, so the
 * client's clock is that clock; {@link #gated} only sends a request when it is at least a guard
 * band away from both window boundaries, so a request counted in window {@code w} by the client
 * is decided in window {@code w} by the gateway as long as it reaches the gateway within the guard.
 */
final class Windows {

  /** Session attribute holding the window index of the user's request. */
  static final String WINDOW_KEY = "window";

  private static final long OUTSIDE = -1;
  private final long windowMillis;
  private final long guardMillis;

  Windows(Duration window, Duration guard) {
    this.windowMillis = window.toMillis();
    this.guardMillis = guard.toMillis();
    if (windowMillis <= 2 * guardMillis) {
      throw new IllegalArgumentException(
          "the window (" + window + ") must be longer than twice the guard band (" + guard + ")");
    }
  }

  /** The window's length. */
  Duration window() {
    return Duration.ofMillis(windowMillis);
  }

  /** The part of each window in which requests are sent: the window less both guard bands. */
  Duration band() {
    return Duration.ofMillis(windowMillis - 2 * guardMillis);
  }

  /** The index of the window at {@code epochMillis}, or -1 inside a guard band. */
  long windowAt(long epochMillis) {
    long offset = epochMillis % windowMillis;
    return offset < guardMillis || offset >= windowMillis - guardMillis
        ? OUTSIDE
        : epochMillis / windowMillis;
  }

  /** Whether {@code window} had ended at {@code epochMillis}. */
  boolean endedBy(long window, long epochMillis) {
    return epochMillis >= (window + 1) * windowMillis;
  }

  /** Runs {@code body} with {@link #WINDOW_KEY} set, unless the user arrives in a guard band. */
  ChainBuilder gated(ChainBuilder body) {
    return exec(session -> session.set(WINDOW_KEY, windowAt(System.currentTimeMillis())))
        .exec(doIf(session -> session.getLong(WINDOW_KEY) != OUTSIDE).then(body));
  }

  /** The window index {@link #gated} stored in the session. */
  static long of(Session session) {
    return session.getLong(WINDOW_KEY);
  }
}
