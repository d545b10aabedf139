package io.gridgate.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node seeing fewer members than expected turns degraded only after the grace period, and recovers. */
class ClusterHealthTest {
  private final AtomicInteger members = new AtomicInteger(3);
  private final ClusterHealth health = new ClusterHealth(members::get, 3, 30_000);

  @Test
  void shortOfMembersForLongerThanTheGraceIsDegraded() {
    health.check(0);
    assertFalse(health.isDegraded());

    members.set(1);
    health.check(1_000);
    health.check(30_999);
    assertFalse(health.isDegraded(), "still within the grace period");
    health.check(31_000);
    assertTrue(health.isDegraded());
    assertEquals(1, health.toJson().getInteger("members"));
    assertEquals(3, health.toJson().getInteger("expected"));
    assertTrue(health.toJson().getBoolean("degraded"));

    members.set(3);
    health.check(32_000);
    assertFalse(health.isDegraded(), "members are back");
  }

  @Test
  void aShortDipThatRecoversWithinTheGraceNeverDegrades() {
    members.set(2);
    health.check(0);
    members.set(3);
    health.check(10_000);
    members.set(2);
    health.check(20_000);
    health.check(45_000);
    assertFalse(health.isDegraded(), "the grace restarts after a recovery");
    health.check(50_000);
    assertTrue(health.isDegraded());
  }
}
