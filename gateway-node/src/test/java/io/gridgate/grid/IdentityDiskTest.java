package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.security.Consumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's identity file (H2 MVStore) on a real disk: what a save acknowledged is there after the
 * file is reopened, merges keep the higher revision and the union of revocations, the journal's
 * queued writes are stored before close, and purges drop expired revocations and old tombstones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdentityDiskTest {
  private final Vertx vertx = Vertx.vertx();

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  @Test
  void savedConsumersAndRevocationsAreThereAfterReopening() throws Exception {
    Path file = dir.resolve("identity.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    await(disk.saveConsumer("acme", consumer("acme", 10, "gold")));
    await(disk.saveConsumer("acme", consumer("acme", 7, "stale"))); // older: ignored
    await(disk.saveConsumer("gone", Consumer.tombstone("gone", 20).toJson().encode()));
    long future = System.currentTimeMillis() + 3_600_000;
    await(disk.saveRevocation("sub:alice", new long[] {100, future}));
    await(disk.saveRevocation("sub:alice", new long[] {50, future + 1000})); // union: max of each
    await(disk.close());

    IdentityDisk reopened = await(IdentityDisk.open(vertx, file));
    assertEquals(Set.of("gold"), Consumer.fromJson(new io.vertx.core.json.JsonObject(reopened.consumers().get("acme")))
        .groups());
    assertEquals(10, Consumer.revisionOf(reopened.consumers().get("acme")));
    assertTrue(Consumer.fromJson(new io.vertx.core.json.JsonObject(reopened.consumers().get("gone"))).deleted());
    assertArrayEquals(new long[] {100, future + 1000}, reopened.revocations().get("sub:alice"));
    await(reopened.close());
  }

  @Test
  void journaledChangesAreStoredInOrderBeforeClose() throws Exception {
    Path file = dir.resolve("identity.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    for (int revision = 1; revision <= 500; revision++) {
      disk.journalConsumer("c" + (revision % 10), consumer("c" + (revision % 10), revision, "g" + revision));
    }
    disk.journalRevocation("jti:t1", new long[] {0, System.currentTimeMillis() + 60_000});
    await(disk.close());

    IdentityDisk reopened = await(IdentityDisk.open(vertx, file));
    assertEquals(10, reopened.consumers().size());
    assertEquals(500, Consumer.revisionOf(reopened.consumers().get("c0")), "the last revision of c0 won");
    assertTrue(reopened.revocations().containsKey("jti:t1"));
    await(reopened.close());
  }

  @Test
  void theFileDoesNotGrowWithEachWrite() throws Exception {
    Path file = dir.resolve("identity.mv.db");
    IdentityDisk disk = await(IdentityDisk.open(vertx, file));
    for (int revision = 1; revision <= 400; revision++) {
      await(disk.saveConsumer("c" + (revision % 10), consumer("c" + (revision % 10), revision, "g".repeat(200))));
    }
    await(disk.close());
    // 400 commits of a few kB each: without space reuse the file holds every one of them
    assertTrue(Files.size(file) < 512 * 1024, Files.size(file) + " bytes");
  }

  @Test
  void purgeDropsExpiredRevocationsAndTombstonesPastTheirRetention() throws Exception {
    IdentityDisk disk = await(IdentityDisk.open(vertx, dir.resolve("identity.mv.db")));
    long now = System.currentTimeMillis();
    long old = now - IdentityDisk.TOMBSTONE_RETENTION.toMillis() - Duration.ofDays(1).toMillis();
    await(disk.saveConsumer("old", Consumer.tombstone("old", old).toJson().encode()));
    await(disk.saveConsumer("recent", Consumer.tombstone("recent", now).toJson().encode()));
    await(disk.saveConsumer("live", consumer("live", old, "g")));
    await(disk.saveRevocation("jti:expired", new long[] {0, now - 1}));
    await(disk.saveRevocation("jti:valid", new long[] {0, now + 60_000}));
    await(vertx.executeBlocking(() -> {
      disk.purge(now);
      return null;
    }));
    assertEquals(Set.of("recent", "live"), disk.consumers().keySet());
    assertEquals(Set.of("jti:valid"), disk.revocations().keySet());
    await(disk.close());
  }

  @Test
  void theFileLivesBesideTheConfigSnapshot() {
    assertEquals(Path.of("/data/identity-8080.mv.db"), IdentityDisk.besideSnapshot(Path.of("/data/config-snapshot-8080.json")));
    assertEquals(Path.of("/data/identity.mv.db"), IdentityDisk.besideSnapshot(Path.of("/data/snapshot.json")));
    assertNull(IdentityDisk.besideSnapshot(null));
  }

  @Test
  void revisionsOnlyGoUpAndTheUnionOnlyGrows() {
    assertEquals(1001, Consumer.nextRevision(1000, 5));
    assertEquals(5000, Consumer.nextRevision(1000, 5000));
    assertArrayEquals(new long[] {9, 8}, RevocationUnion.of(new long[] {9, 2}, new long[] {1, 8}));
    assertFalse(Consumer.supersedes(consumer("a", 3, "g"), consumer("a", 3, "h")), "an equal revision keeps what is stored");
  }

  static String consumer(String id, long revision, String group) {
    return new Consumer(id, Set.of(group), List.of(), Set.of(), revision, false).toJson().encode();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
