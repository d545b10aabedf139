package io.gridgate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a generous deadline instead of sleeping a fixed time and hoping. */
public final class Conditions {
  private Conditions() {
  }

  /** Polls {@code condition} every 10 ms; fails the test when it does not hold within {@code within}. */
  public static void awaitTrue(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
