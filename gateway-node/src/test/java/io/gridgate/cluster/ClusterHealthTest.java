package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.MinorityMode;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node seeing fewer members than expected turns degraded only after the grace period, and
 * recovers; with minority protection it is on a minority side at once below the quorum.
 */
class ClusterHealthTest {
  private final AtomicInteger members = new AtomicInteger(3);
  private final ClusterHealth health = new ClusterHealth(members::get, 3, 30_000, MinorityMode.PROTECT);

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

  @Test
  void belowTheQuorumAProtectingNodeIsOnAMinoritySideAtOnce() {
    health.check(0);
    assertFalse(health.isMinority());
    assertEquals(2, health.quorum());
    members.set(2);
    health.check(1_000);
    assertFalse(health.isMinority(), "2 of 3 is the majority");
    members.set(1);
    health.check(2_000);
    assertTrue(health.isMinority(), "1 of 3 is below the quorum, without a grace period");
    assertTrue(health.toJson().getBoolean("minority"));
    assertEquals(2, health.toJson().getInteger("quorum"));
    members.set(2);
    health.check(3_000);
    assertFalse(health.isMinority(), "the quorum is back");
  }

  @Test
  void anEvenSplitLeavesBothHalvesWithoutTheQuorum() {
    ClusterHealth ofFour = new ClusterHealth(members::get, 4, 30_000, MinorityMode.PROTECT);
    members.set(2);
    ofFour.check(0);
    assertEquals(3, ofFour.quorum());
    assertTrue(ofFour.isMinority());
  }

  @Test
  void aServingNodeIsNeverOnAMinoritySide() {
    ClusterHealth serving = new ClusterHealth(members::get, 3, 30_000, MinorityMode.SERVE);
    members.set(1);
    serving.check(0);
    assertFalse(serving.isMinority());
    assertFalse(serving.toJson().getBoolean("minority"));
  }
}
