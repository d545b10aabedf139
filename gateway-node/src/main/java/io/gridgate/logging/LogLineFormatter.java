package io.gridgate.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: UTC time, level, logger, thread, {@code request_id=} and {@code trace_id=}
 * of the request being served ({@code -} outside any request), the message, then the stack trace
 * of an exception on the following lines.
 */
public final class LogLineFormatter extends Formatter {
  private static final String NONE = "-";

  @Override
  public String format(LogRecord record) {
    LogContext.Ids ids = LogContext.current();
    StringBuilder line = new StringBuilder(160)
        .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
        .append(record.getLevel().getName()).append(' ')
        .append(record.getLoggerName()).append(' ')
        .append('[').append(Thread.currentThread().getName()).append("] ")
        .append("request_id=").append(ids == null ? NONE : ids.requestId()).append(' ')
        .append("trace_id=").append(ids == null ? NONE : ids.traceId()).append(' ')
        .append(formatMessage(record)).append(System.lineSeparator());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }
}
