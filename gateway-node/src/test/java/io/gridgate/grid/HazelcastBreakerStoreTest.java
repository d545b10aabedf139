package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.GridMembers;
import io.gridgate.testing.ManualClock;
import io.gridgate.upstream.BreakerView;
import io.gridgate.upstream.BreakerView.Phase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Breaker state on two real Hazelcast members: changes made through one member are heard by the
 * other, only one member wins a probe claim, only the prober settles half-open, and the backup
 * holds the primary's exact record when the owner dies.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HazelcastBreakerStoreTest {
  /** Both members' clock: open periods end when the test says so, however slow the machine. */
  private final ManualClock clock = new ManualClock();
  private GridMembers members;
  private Vertx vertx;
  private HazelcastBreakerStore storeA;
  private HazelcastBreakerStore storeB;

  @BeforeEach
  void setUp() throws Exception {
    members = new GridMembers(2, clock);
    vertx = Vertx.vertx();
    storeA = new HazelcastBreakerStore(vertx, new GridCalls(vertx, GridCallMetrics.NONE), members.member(0), "a",
        new HazelcastReconciliation(vertx, members.member(0)));
    storeB = new HazelcastBreakerStore(vertx, new GridCalls(vertx, GridCallMetrics.NONE), members.member(1), "b",
        new HazelcastReconciliation(vertx, members.member(1)));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    members.close();
  }

  @Test
  void aTripIsHeardEverywhereAndOnlyOneClaimWinsTheProbe() throws Exception {
    List<BreakerView> heardByB = new CopyOnWriteArrayList<>();
    storeB.watch("u", heardByB::add);
    BreakerView opened = await(storeA.trip("u", 200));
    assertEquals(Phase.OPEN, opened.phase());
    assertTrue(opened.openMillisLeft() > 0 && opened.openMillisLeft() <= 200, "time left on the owner's clock");
    assertEquals(opened.version(), await(storeA.trip("u", 200)).version(), "tripping an open breaker changes nothing");
    GatewayFixture.awaitCondition("B heard of the trip", GatewayFixture.WAIT,
        () -> heardByB.stream().anyMatch(v -> v.phase() == Phase.OPEN && v.openMillisLeft() == 200));

    assertEquals(Phase.OPEN, await(storeB.claimProbe("u", 1_000)).phase(), "no claim before the open period is over");
    clock.advanceMillis(250);
    Future<BreakerView> claimA = storeA.claimProbe("u", 1_000);
    Future<BreakerView> claimB = storeB.claimProbe("u", 1_000);
    String prober = await(claimA).prober();
    assertEquals(prober, await(claimB).prober(), "both learn the single winner");
    HazelcastBreakerStore winner = prober.equals("a") ? storeA : storeB;
    HazelcastBreakerStore loser = winner == storeA ? storeB : storeA;

    assertEquals(Phase.HALF_OPEN, await(loser.probesSucceeded("u")).phase(), "only the prober settles half-open");
    assertEquals(Phase.HALF_OPEN, await(loser.probeFailed("u", 200)).phase());
    assertEquals(Phase.CLOSED, await(winner.probesSucceeded("u")).phase());
    GatewayFixture.awaitCondition("B heard of the close", GatewayFixture.WAIT,
        () -> heardByB.get(heardByB.size() - 1).phase() == Phase.CLOSED);
  }

  @Test
  void theBackupHoldsThePrimarysRecordWhenTheOwnerDies() throws Exception {
    String key = "orders";
    int owner = members.member(0).getPartitionService().getPartition(key).getOwner().localMember() ? 0 : 1;
    HazelcastBreakerStore survivor = owner == 0 ? storeB : storeA;
    await(survivor.trip(key, 60_000));
    BreakerRecord written = members.member(owner).<String, BreakerRecord>getMap(GridNames.BREAKERS).get(key);

    members.member(owner).getLifecycleService().terminate();

    BreakerRecord promoted = members.member(1 - owner).<String, BreakerRecord>getMap(GridNames.BREAKERS).get(key);
    assertEquals(written, promoted, "the backup stored what the primary computed");
    BreakerView view = await(survivor.claimProbe(key, 1_000));
    assertEquals(Phase.OPEN, view.phase(), "still open on the new owner");
    assertNull(view.prober());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
