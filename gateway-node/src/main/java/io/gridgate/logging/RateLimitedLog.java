package io.gridgate.logging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log handler's filter that lets at most {@code burst} WARNING or SEVERE records of one kind
 * through per {@code window}, so that a client repeating something that logs (a reset flood, a
 * connection flood) cannot flood the log; at the end of a window with suppressed records, the
 * handler gets one summary line saying how many. A kind is a logger, a level and the class of the
 * attached exception: never message text, which a client may shape, so the kinds stay few. Records
 * below WARNING pass untouched.
 */
public final class RateLimitedLog implements Filter {
  /** Records of one kind a handler writes per window. */
  public static final int BURST = 10;
  /** The window {@link #BURST} applies to. */
  public static final Duration WINDOW = Duration.ofSeconds(10);
  private static final ScheduledExecutorService SUMMARIES = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "gridgate-log-summaries");
    thread.setDaemon(true);
    return thread;
  });

  private final Handler handler;
  private final int burst;
  private final long windowMillis;
  private final Map<String, Kind> kinds = new HashMap<>();

  /** The records of one kind in the current window. */
  private static final class Kind {
    final String logger;
    final String description;
    long windowStart;
    int passed;
    int suppressed;

    Kind(LogRecord first) {
      this.logger = first.getLoggerName();
      this.description = first.getLevel().getName()
          + (first.getThrown() == null ? "" : " (" + first.getThrown().getClass().getName() + ")");
    }
  }

  /** The line written for the records a window suppressed; always passes. */
  private static final class Summary extends LogRecord {
    Summary(Kind kind, int suppressed, long windowMillis, int burst) {
      super(Level.WARNING, suppressed + " more " + kind.description + " records of this logger were suppressed (at most "
          + burst + " of a kind are written per " + windowMillis / 1000 + " s)");
      setLoggerName(kind.logger);
    }
  }

  private RateLimitedLog(Handler handler, int burst, Duration window) {
    this.handler = handler;
    this.burst = burst;
    this.windowMillis = window.toMillis();
  }

  /** Rate limits what {@code handler} writes: {@code burst} records of a kind per {@code window}. */
  public static void install(Handler handler, int burst, Duration window) {
    handler.setFilter(new RateLimitedLog(handler, burst, window));
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record instanceof Summary || record.getLevel().intValue() < Level.WARNING.intValue()) {
      return true;
    }
    String key = record.getLoggerName() + '|' + record.getLevel().getName() + '|'
        + (record.getThrown() == null ? "" : record.getThrown().getClass().getName());
    long now = System.currentTimeMillis();
    synchronized (this) {
      Kind kind = kinds.computeIfAbsent(key, k -> new Kind(record));
      if (now - kind.windowStart >= windowMillis) {
        kind.windowStart = now;
        kind.passed = 0;
      }
      if (kind.passed < burst) {
        kind.passed++;
        return true;
      }
      if (kind.suppressed++ == 0) {
        long untilWindowEnd = kind.windowStart + windowMillis - now;
        SUMMARIES.schedule(() -> summarize(kind), untilWindowEnd, TimeUnit.MILLISECONDS);
      }
      return false;
    }
  }

  private void summarize(Kind kind) {
    int suppressed;
    synchronized (this) {
      suppressed = kind.suppressed;
      kind.suppressed = 0;
    }
    handler.publish(new Summary(kind, suppressed, windowMillis, burst));
  }
}
