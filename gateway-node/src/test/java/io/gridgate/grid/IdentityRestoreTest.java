package io.gridgate.grid;

import static io.gridgate.grid.IdentityDiskTest.await;
import static io.gridgate.grid.IdentityDiskTest.consumer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ClusterSettings;
import io.gridgate.security.Consumer;
import io.gridgate.security.ConsumerDirectory;
import io.gridgate.security.Revocation;
import io.gridgate.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's disk offered to a real Hazelcast member through the merge entry processors: the higher
 * revision wins either way (and the disk learns the grid's), a tombstone beats an older live
 * consumer, revocations merge as a union and expired ones are left out; a store's admin changes
 * reach the disk before they complete.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdentityRestoreTest {
  private HazelcastInstance hazelcast;
  private Vertx vertx;
  private GridCalls calls;
  private HazelcastReconciliation reconciliation;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() throws Exception {
    int port = FreePorts.belowEphemeralRange(1)[0];
    ClusterSettings settings = new ClusterSettings("gridgate-identity-" + UUID.randomUUID(), port, false,
        List.of("127.0.0.1:" + port), null, 1, Duration.ofSeconds(30), dir);
    hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigs.forNode(settings, dir));
    vertx = Vertx.vertx();
    calls = new GridCalls(vertx, GridCallMetrics.NONE);
    reconciliation = new HazelcastReconciliation(vertx, hazelcast);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    hazelcast.shutdown();
  }

  @Test
  void theHigherRevisionWinsBetweenDiskAndGrid() throws Exception {
    IMap<String, String> grid = hazelcast.getMap(GridNames.CONSUMERS);
    grid.put("newer-on-disk", consumer("newer-on-disk", 3, "grid"));
    grid.put("newer-in-grid", consumer("newer-in-grid", 7, "grid"));
    long now = System.currentTimeMillis(); // a tombstone older than the retention would be purged, not offered
    grid.put("deleted-on-disk", consumer("deleted-on-disk", now - 1000, "grid"));
    Path file = dir.resolve("identity.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    await(disk.saveConsumer("newer-on-disk", consumer("newer-on-disk", 5, "disk")));
    await(disk.saveConsumer("newer-in-grid", consumer("newer-in-grid", 2, "disk")));
    await(disk.saveConsumer("deleted-on-disk", Consumer.tombstone("deleted-on-disk", now).toJson().encode()));
    await(disk.saveConsumer("only-on-disk", consumer("only-on-disk", 1, "disk")));

    HazelcastConsumerStore store = new HazelcastConsumerStore(vertx, calls, hazelcast, reconciliation);
    await(store.restore(disk));

    assertEquals(Set.of("disk"), await(store.get("newer-on-disk")).groups());
    assertEquals(Set.of("grid"), await(store.get("newer-in-grid")).groups());
    assertEquals(Set.of("disk"), await(store.get("only-on-disk")).groups());
    assertNull(await(store.get("deleted-on-disk")), "the tombstone won");
    assertTrue(Consumer.fromJson(new JsonObject(grid.get("deleted-on-disk"))).deleted(), "the tombstone is kept");
    assertEquals(Set.of("newer-on-disk", "newer-in-grid", "only-on-disk"),
        Set.copyOf(await(store.list()).stream().map(Consumer::id).toList()));
    ConsumerDirectory directory = new ConsumerDirectory();
    await(store.feed(directory));
    assertNull(directory.byId("deleted-on-disk"));
    await(disk.close());

    IdentityDisk reopened = await(IdentityDisk.open(vertx, file));
    assertEquals(7, Consumer.revisionOf(reopened.consumers().get("newer-in-grid")), "the disk learnt the grid's revision");
    await(reopened.close());
  }

  @Test
  void adminChangesAreOnDiskWhenTheyCompleteAndDeletesLeaveTombstones() throws Exception {
    Path file = dir.resolve("identity.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    HazelcastConsumerStore store = new HazelcastConsumerStore(vertx, calls, hazelcast, reconciliation);
    await(store.restore(disk));
    Consumer created = await(store.change("acme", c -> new Consumer("acme", Set.of("gold"), List.of(), Set.of(), 0, false)));
    Consumer deleted = await(store.change("acme", c -> null));
    assertTrue(deleted.deleted());
    assertTrue(deleted.revision() > created.revision(), deleted.revision() + " > " + created.revision());
    assertNull(await(store.change("acme", c -> null)), "deleting a deleted consumer writes nothing");
    assertTrue(Consumer.fromJson(new JsonObject(disk.consumers().get("acme"))).deleted(),
        "the tombstone is on disk when the delete completes");

    HazelcastRevocationStore revocations = new HazelcastRevocationStore(vertx, calls, hazelcast, reconciliation);
    await(revocations.restore(disk));
    long expires = System.currentTimeMillis() + 3_600_000;
    await(revocations.revoke(new Revocation(Revocation.Kind.SUBJECT, "alice", 500, expires)));
    await(revocations.revoke(new Revocation(Revocation.Kind.SUBJECT, "alice", 200, expires - 1000)));
    assertArrayEquals(new long[] {500, expires}, disk.revocations().get("sub:alice"), "on disk when revoke completes");
    Revocation listed = await(revocations.list()).get(0);
    assertEquals(500, listed.issuedBeforeMillis(), "a later, narrower revocation does not shrink the union");
    assertEquals(expires, listed.expiresAtMillis());
    await(disk.close());
  }

  @Test
  void revocationsMergeAsAUnionAndExpiredOnesAreNotOffered() throws Exception {
    long now = System.currentTimeMillis();
    IMap<String, long[]> grid = hazelcast.getMap(GridNames.REVOCATIONS);
    grid.put("sub:bob", new long[] {900, now + 60_000}, 60, TimeUnit.SECONDS);
    IdentityDisk disk = await(IdentityDisk.open(vertx, dir.resolve("identity.mv.db")));
    await(disk.saveRevocation("sub:bob", new long[] {100, now + 120_000}));
    await(disk.saveRevocation("jti:gone", new long[] {0, now + 1}));
    await(disk.saveRevocation("jti:kept", new long[] {0, now + 120_000}));
    awaitTrue("jti:gone expired", () -> System.currentTimeMillis() > now + 1);

    HazelcastRevocationStore store = new HazelcastRevocationStore(vertx, calls, hazelcast, reconciliation);
    await(store.restore(disk));

    assertArrayEquals(new long[] {900, now + 120_000}, grid.get("sub:bob"));
    assertTrue(grid.getEntryView("sub:bob").getTtl() > 60_000, "the TTL follows the later expiry");
    assertTrue(grid.containsKey("jti:kept"));
    assertFalse(grid.containsKey("jti:gone"));
    await(disk.close());
  }

  @Test
  void aStandaloneNodesStoresComeBackFromItsDisk() throws Exception {
    Path file = dir.resolve("standalone.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    LocalConsumerStore consumers = new LocalConsumerStore();
    LocalRevocationStore revocations = new LocalRevocationStore();
    await(consumers.restore(disk));
    await(revocations.restore(disk));
    await(consumers.change("kept", c -> new Consumer("kept", Set.of("gold"), List.of(), Set.of(), 0, false)));
    await(consumers.change("deleted", c -> new Consumer("deleted", Set.of(), List.of(), Set.of(), 0, false)));
    await(consumers.change("deleted", c -> null));
    long expires = System.currentTimeMillis() + 3_600_000;
    await(revocations.revoke(new Revocation(Revocation.Kind.JTI, "t1", 0, expires)));
    await(disk.close());

    IdentityDisk reopened = await(IdentityDisk.open(vertx, file));
    LocalConsumerStore restartedConsumers = new LocalConsumerStore();
    LocalRevocationStore restartedRevocations = new LocalRevocationStore();
    await(restartedConsumers.restore(reopened));
    await(restartedRevocations.restore(reopened));
    assertEquals(List.of("kept"), await(restartedConsumers.list()).stream().map(Consumer::id).toList());
    assertEquals(Set.of("gold"), await(restartedConsumers.get("kept")).groups());
    assertNull(await(restartedConsumers.get("deleted")));
    assertEquals(List.of("t1"), await(restartedRevocations.list()).stream().map(Revocation::value).toList());
    await(reopened.close());
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(5);
    }
  }
}
