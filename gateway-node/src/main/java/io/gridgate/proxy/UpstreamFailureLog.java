package io.gridgate.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node log's account of failures to reach targets: at most one WARNING line per upstream name
 * (in this JVM) per {@link #INTERVAL_NANOS}, with the target and the exception, and how many
 * failures it left out since the previous line (a dead upstream under load must not flood the log).
 */
final class UpstreamFailureLog {
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Logger LOG = Logger.getLogger(UpstreamFailureLog.class.getName());
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  void failed(String upstream, String detail) {
    long skipped = windows.computeIfAbsent(upstream, name -> new Window()).admit(System.nanoTime());
    if (skipped >= 0) {
      LOG.log(Level.WARNING, "upstream '" + upstream + "' " + detail
          + (skipped > 0 ? " (" + skipped + " earlier failures not logged)" : ""));
    }
  }

  /** One upstream's logging window. */
  private static final class Window {
    private boolean started;
    private long nextNanos;
    private long skipped;

    /** The failures skipped since the last line when this one may be logged, else -1. */
    synchronized long admit(long now) {
      if (started && now - nextNanos < 0) {
        skipped++;
        return -1;
      }
      started = true;
      nextNanos = now + INTERVAL_NANOS;
      long before = skipped;
      skipped = 0;
      return before;
    }
  }
}
