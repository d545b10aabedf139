package io.gridgate.distribution;

import io.vertx.core.json.JsonObject;

/** Where a push's time went: the milliseconds of each phase since the previous one, as the push answer shows them. */
final class PushTimings {
  private final JsonObject phases = new JsonObject();
  private long last = System.nanoTime();

  /** Ends {@code phase} now. */
  void mark(String phase) {
    long now = System.nanoTime();
    phases.put(phase, millis(now - last));
    last = now;
  }

  /** Milliseconds with two decimals. */
  static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  JsonObject toJson() {
    return phases;
  }
}
