package io.gridgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.CircuitBreakerSpec;
import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.grid.LocalBreakerStore;
import io.gridgate.upstream.CircuitBreaker.Decision;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's life on one node with a hand-moved clock: closed → open → half-open (one probe at a time) → closed or open again. */
class CircuitBreakerTest {
  private final AtomicLong clockMillis = new AtomicLong(1_000_000);
  private final CircuitBreaker breaker = new CircuitBreaker("u", FailureWindowTest.spec(0, 20, 2),
      new LocalBreakerStore(clockMillis::get), () -> clockMillis.get() * 1_000_000L);

  @Test
  void opensAfterFailuresAndAnswersWithoutTheUpstreamUntilTheOpenPeriodEnds() {
    assertEquals(Decision.ALLOW, breaker.admit());
    breaker.record(false, false);
    assertEquals(Phase.CLOSED, breaker.phase());
    breaker.record(false, false);
    assertEquals(Phase.OPEN, breaker.phase());
    assertEquals(Decision.REJECT, breaker.admit());
    assertEquals(5, breaker.retryAfterSeconds());

    clockMillis.addAndGet(3_500);
    assertEquals(2, breaker.retryAfterSeconds(), "1.5 s left, rounded up");
    breaker.record(false, false);
    assertEquals(Decision.REJECT, breaker.admit(), "late failures of an open breaker change nothing");

    clockMillis.addAndGet(1_500);
    assertEquals(Decision.CLAIM, breaker.admit());
    assertEquals(Decision.REJECT, breaker.admit(), "one claim at a time");
    assertTrue(breaker.claimProbe().result());
    assertEquals(Phase.HALF_OPEN, breaker.phase());
    assertEquals(Decision.REJECT, breaker.admit(), "the probe slot is taken by the claiming request");
  }

  @Test
  void enoughSuccessfulProbesCloseIt() {
    openAndClaim();
    breaker.record(true, true);
    assertEquals(Decision.PROBE, breaker.admit());
    breaker.record(true, true);
    assertEquals(Decision.PROBE, breaker.admit());
    breaker.releaseProbe(); // the client went away: no verdict
    assertEquals(Decision.PROBE, breaker.admit());
    breaker.record(true, true);
    assertEquals(Phase.CLOSED, breaker.phase(), "three successful probes");
    assertEquals(Decision.ALLOW, breaker.admit());
    assertEquals(1, breaker.transitions(Phase.CLOSED));
    assertEquals(1, breaker.transitions(Phase.HALF_OPEN));
    breaker.record(false, false);
    assertEquals(Phase.CLOSED, breaker.phase(), "the detector starts afresh after closing");
  }

  @Test
  void aFailedProbeOpensItForAFreshPeriod() {
    openAndClaim();
    clockMillis.addAndGet(4_000);
    breaker.record(false, true);
    assertEquals(Phase.OPEN, breaker.phase());
    assertEquals(5, breaker.retryAfterSeconds(), "a fresh open period");
    assertEquals(2, breaker.transitions(Phase.OPEN));
  }

  private void openAndClaim() {
    breaker.record(false, false);
    breaker.record(false, false);
    clockMillis.addAndGet(5_000);
    assertEquals(Decision.CLAIM, breaker.admit());
    assertTrue(breaker.claimProbe().result());
  }
}
