package io.gridgate.telemetry;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How late the event loops run what they were asked to run: a probe on every Vert.x event loop
 * asks to be woken every {@value #PERIOD_MILLIS} ms and notes how much later it actually ran. A
 * blocked or saturated loop shows here before anywhere else. {@link #worstLastSecond()} is the
 * worst delay of any loop over the last full second.
 */
public final class EventLoopDelay implements AutoCloseable {
  static final long PERIOD_MILLIS = 100;
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final List<ScheduledFuture<?>> probes = new ArrayList<>();
  private final AtomicLong worstInWindow = new AtomicLong();
  private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
  private volatile long worstLastSecond;
  private volatile boolean closed;

  /** Starts a probe on each event loop of {@code vertx}. */
  public static EventLoopDelay start(Vertx vertx) {
    EventLoopDelay delay = new EventLoopDelay();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      delay.probe(loop, System.nanoTime() + PERIOD_NANOS);
    }
    return delay;
  }

  private synchronized void probe(EventExecutor loop, long due) {
    if (!closed) {
      probes.add(loop.schedule(() -> woke(loop, due), PERIOD_NANOS, TimeUnit.NANOSECONDS));
    }
  }

  private void woke(EventExecutor loop, long due) {
    long now = System.nanoTime();
    worstInWindow.accumulateAndGet(Math.max(0, now - due), Math::max);
    long start = windowStart.get();
    if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
      worstLastSecond = worstInWindow.getAndSet(0);
    }
    synchronized (this) {
      probes.removeIf(ScheduledFuture::isDone);
    }
    probe(loop, now + PERIOD_NANOS);
  }

  /** The worst delay any event loop had over the last full second, in seconds. */
  public double worstLastSecond() {
    return worstLastSecond / 1e9;
  }

  @Override
  public synchronized void close() {
    closed = true;
    probes.forEach(probe -> probe.cancel(false));
    probes.clear();
  }
}
