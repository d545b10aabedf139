package io.gridgate.proxy;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enforces the total and idle deadlines of every exchange of one event loop from a single
 * periodic tick, instead of arming and cancelling timers for each request. Deadlines therefore
 * fire up to one tick ({@value #TICK_MILLIS} ms) late. Used from its event loop only.
 */
final class DeadlineSweeper {
  static final long TICK_MILLIS = 25;

  private final Map<Exchange, Boolean> active = new IdentityHashMap<>();
  private final List<Exchange> expired = new ArrayList<>();
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

  void track(Exchange exchange) {
    active.put(exchange, Boolean.TRUE);
  }

  void untrack(Exchange exchange) {
    active.remove(exchange);
  }

  private void sweep() {
    if (active.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Exchange exchange : active.keySet()) {
      if (exchange.isOverdue(now)) {
        expired.add(exchange);
      }
    }
    for (Exchange exchange : expired) {
      exchange.timeOut(now);
    }
    expired.clear();
  }
}
