package io.gridgate.testing;

import io.gridgate.logging.LogLineFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps every JUL record this handler lets through (all, unless given a filter), formatted by the
 * node's {@link LogLineFormatter} on the logging thread, until closed.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {
    setFormatter(new LogLineFormatter());
  }

  public static LogCapture onRootLogger() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  public void publish(LogRecord record) {
    if (isLoggable(record)) {
      lines.add(getFormatter().format(record));
    }
  }

  /** The first line holding {@code text}; fails when none does. */
  public String lineWith(String text) {
    return lines.stream().filter(line -> line.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("no log line with '" + text + "' in " + lines));
  }

  /** Every line holding {@code text}. */
  public List<String> linesWith(String text) {
    return lines.stream().filter(line -> line.contains(text)).toList();
  }

  @Override
  public void flush() {
    // lines are kept in memory
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
