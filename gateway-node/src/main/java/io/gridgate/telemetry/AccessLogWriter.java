package io.gridgate.telemetry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes access-log lines on its own thread, so event loops never wait on a disk or a pipe: lines
 * queue up (at most {@value #CAPACITY}; beyond that they are dropped and counted) and are written
 * to standard output or appended to a file in batches: once a line arrives, the thread gathers for
 * {@value #GATHER_MILLIS} ms, then writes and flushes everything queued. Event loops therefore wake
 * the thread at most once per batch rather than once per line, and a line reaches the output at
 * most about {@value #GATHER_MILLIS} ms after its request ended.
 */
final class AccessLogWriter implements AutoCloseable {
  static final int CAPACITY = 65_536;
  static final int GATHER_MILLIS = 20;
  private static final int BUFFER_CHARS = 64 * 1024;
  private static final Logger LOG = Logger.getLogger(AccessLogWriter.class.getName());
  /** Queued by {@link #close()}; compared by identity, so no logged line can equal it. */
  private static final String STOP = new String("stop");

  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
  private final LongAdder dropped = new LongAdder();
  private final Writer out;
  private final boolean closeAtEnd;
  private final Thread thread;

  private AccessLogWriter(Writer out, boolean closeAtEnd, String name) {
    this.out = out;
    this.closeAtEnd = closeAtEnd;
    this.thread = new Thread(this::drain, "gridgate-access-log");
    this.thread.setDaemon(true);
    this.thread.start();
    LOG.info("access log to " + name);
  }

  /** A writer to {@code output}: {@code stdout}, or a file path (appended to, created when missing). */
  static AccessLogWriter open(String output) throws IOException {
    if ("stdout".equals(output)) {
      Writer stdout = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), BUFFER_CHARS);
      return new AccessLogWriter(stdout, false, output);
    }
    Path file = Path.of(output);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Writer appending = new OutputStreamWriter(
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8);
    return new AccessLogWriter(new BufferedWriter(appending, BUFFER_CHARS), true, file.toAbsolutePath().toString());
  }

  /** Queues one line (without its newline); drops it when the queue is full. */
  void write(String line) {
    if (!lines.offer(line)) {
      dropped.increment();
    }
  }

  /** Lines dropped because the writer fell behind. */
  long dropped() {
    return dropped.sum();
  }

  private void drain() {
    List<String> batch = new ArrayList<>(1024);
    try {
      while (true) {
        String first = lines.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        if (first != STOP) {
          Thread.sleep(GATHER_MILLIS);
        }
        batch.add(first);
        lines.drainTo(batch);
        for (String line : batch) {
          if (line == STOP) {
            out.flush();
            if (closeAtEnd) {
              out.close();
            }
            return;
          }
          out.write(line);
          out.write('\n');
        }
        batch.clear();
        out.flush();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "access log stopped: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops (waits up to 5 s); a file is closed, standard output stays open. */
  @Override
  public void close() {
    try {
      lines.put(STOP);
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
