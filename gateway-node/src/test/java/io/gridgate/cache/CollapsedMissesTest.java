package io.gridgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request collapsing's bookkeeping: one lead per key, waiters woken once when it settles, stale leads taken over. */
class CollapsedMissesTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private final CollapsedMisses misses = new CollapsedMisses();
  private final List<String> woken = new ArrayList<>();

  @Test
  void laterMissesWaitForTheLeadAndAreWokenOnceWhenItSettles() {
    CollapsedMisses.Lead lead = misses.lead("k", MINUTE);
    assertNotNull(lead);
    assertNull(misses.lead("k", MINUTE), "one lead per key");
    assertNotNull(misses.lead("other", MINUTE), "other keys lead on their own");
    assertTrue(misses.await("k", () -> woken.add("a")));
    assertTrue(misses.await("k", () -> woken.add("b")));

    misses.settle("k", lead);
    misses.settle("k", lead);
    assertEquals(List.of("a", "b"), woken);
    assertFalse(misses.await("k", () -> woken.add("late")), "no lead in flight: the caller goes upstream itself");
    assertNotNull(misses.lead("k", MINUTE), "the next miss leads");
  }

  @Test
  void aStaleLeadIsTakenOverAndItsLateSettleLeavesTheNewLeadAlone() {
    CollapsedMisses.Lead stale = misses.lead("k", MINUTE);
    assertTrue(misses.await("k", () -> woken.add("stale waiter")));
    CollapsedMisses.Lead fresh = misses.lead("k", 0);
    assertNotNull(fresh, "a lead as old as the longest exchange is taken over");
    assertTrue(misses.await("k", () -> woken.add("fresh waiter")));

    misses.settle("k", stale);
    assertEquals(List.of(), woken, "the stale lead no longer holds the key");
    misses.settle("k", fresh);
    assertEquals(List.of("fresh waiter"), woken);
  }
}
