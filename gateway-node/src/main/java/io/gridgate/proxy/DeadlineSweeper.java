package io.gridgate.proxy;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enforces the deadlines of one event loop (every exchange's total and idle deadlines, every
 * request body's read clocks) from a single periodic tick, instead of arming and cancelling timers
 * for each request. Deadlines therefore fire up to one tick ({@value #TICK_MILLIS} ms) late, later
 * on a busy loop. Used from its event loop only.
 */
final class DeadlineSweeper {
  static final long TICK_MILLIS = 25;

  /** Something the sweeper checks on every tick until it is untracked. */
  interface Deadline {
    /** Whether the deadline has passed at {@code now} ({@link System#nanoTime()}). */
    boolean isOverdue(long now);

    /** Acts on the passed deadline; called once per tick while overdue and tracked. */
    void timeOut(long now);
  }

  private final Map<Deadline, Boolean> active = new IdentityHashMap<>();
  private final List<Deadline> expired = new ArrayList<>();
  private final Vertx vertx;
  private long timerId = -1;

  DeadlineSweeper(Vertx vertx) {
    this.vertx = vertx;
  }

  void start() {
    timerId = vertx.setPeriodic(TICK_MILLIS, id -> sweep());
  }

  void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  void track(Deadline deadline) {
    active.put(deadline, Boolean.TRUE);
  }

  void untrack(Deadline deadline) {
    active.remove(deadline);
  }

  private void sweep() {
    if (active.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Deadline deadline : active.keySet()) {
      if (deadline.isOverdue(now)) {
        expired.add(deadline);
      }
    }
    for (Deadline deadline : expired) {
      deadline.timeOut(now);
    }
    expired.clear();
  }
}
