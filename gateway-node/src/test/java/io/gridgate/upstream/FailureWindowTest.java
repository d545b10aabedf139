package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.CircuitBreakerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The trip decision: failure ratio once min_calls were seen, consecutive failures, and the window rolling off. */
class FailureWindowTest {
  private static final long MS = 1_000_000L;

  static CircuitBreakerSpec spec(double ratio, int minCalls, int consecutive) {
    return new CircuitBreakerSpec(ratio, minCalls, consecutive, Duration.ofSeconds(10), Duration.ofSeconds(5), 3,
        CircuitBreakerSpec.Scope.LOCAL);
  }

  @Test
  void ratioTripsOnlyOnceMinCallsWereSeen() {
    FailureWindow window = new FailureWindow(spec(0.5, 10, 0));
    long now = 1_000 * MS;
    for (int i = 0; i < 4; i++) {
      assertFalse(window.record(true, now), "successes never trip");
      assertFalse(window.record(false, now), "call " + (2 * i + 2) + " of 10: too few calls to judge");
    }
    assertFalse(window.record(true, now), "9 calls, 4 failures");
    assertTrue(window.record(false, now), "10 calls, 5 failures: ratio 0.5 reached");
  }

  @Test
  void ratioBelowTheThresholdDoesNotTrip() {
    FailureWindow window = new FailureWindow(spec(0.5, 4, 0));
    long now = 0;
    for (int i = 0; i < 20; i++) {
      window.record(true, now);
      window.record(true, now);
      assertFalse(window.record(false, now), "one failure in three stays under 0.5");
    }
  }

  @Test
  void consecutiveFailuresTripAndASuccessResetsTheRun() {
    FailureWindow window = new FailureWindow(spec(0, 20, 3));
    boolean[] runBrokenBySuccess = {false, false, true, false, false};
    for (boolean success : runBrokenBySuccess) {
      assertFalse(window.record(success, 5 * MS), "the success ended the first run at two");
    }
    assertTrue(window.record(false, 5 * MS), "three in a row");
  }

  @Test
  void oldCallsRollOffTheWindow() {
    FailureWindow window = new FailureWindow(spec(0.5, 4, 0));
    long start = 0;
    for (int i = 0; i < 3; i++) {
      assertFalse(window.record(false, start), "3 failures, fewer than min_calls");
    }
    long later = start + 11_000 * MS;
    assertFalse(window.record(false, later), "the 3 earlier failures left the 10 s window: 1 call seen");
    assertFalse(window.record(true, later + MS));
    assertFalse(window.record(true, later + 2 * MS));
    assertTrue(window.record(false, later + 3 * MS), "4 calls within the window, 2 failed");
  }

  @Test
  void aRunOfFailuresFurtherApartThanTheWindowStartsOver() {
    FailureWindow window = new FailureWindow(spec(0, 20, 2));
    assertFalse(window.record(false, 0));
    assertFalse(window.record(false, 10_001 * MS), "the first failure is outside the window");
    assertTrue(window.record(false, 10_002 * MS));
  }

  @Test
  void resetForgetsEverything() {
    FailureWindow window = new FailureWindow(spec(0.5, 2, 2));
    window.record(false, 0);
    window.reset();
    assertFalse(window.record(false, MS), "neither the run nor the ratio remember the failure before the reset");
  }
}
