package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ClusterSettings;
import io.gridgate.distribution.ConfigConflictException;
import io.gridgate.distribution.ConfigDraft;
import io.gridgate.distribution.ConfigRecord;
import io.gridgate.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commits on a real Hazelcast member: conflicts, bases from the future, and versions abandoned mid-commit. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HazelcastConfigStoreTest {
  private HazelcastInstance hazelcast;
  private Vertx vertx;
  private HazelcastConfigStore grid;

  @BeforeEach
  void setUp() throws Exception {
    int port = FreePorts.belowEphemeralRange(1)[0];
    ClusterSettings settings = new ClusterSettings("gridgate-grid-" + UUID.randomUUID(), port, false,
        List.of("127.0.0.1:" + port), null, 1, Duration.ofSeconds(30), Path.of("data"));
    hazelcast = Hazelcast.newHazelcastInstance(HazelcastConfigs.forNode(settings, Path.of(".")));
    vertx = Vertx.vertx();
    grid = new HazelcastConfigStore(vertx, new GridCalls(vertx, GridCallMetrics.NONE), hazelcast);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
    hazelcast.shutdown();
  }

  @Test
  void commitsAdvanceOneVersionAtATimeFromTheCurrentHead() throws Exception {
    assertEquals(1, await(grid.commitConfig(0, "v1", "test")).version());
    assertEquals(2, await(grid.commitConfig(1, "v2", "test")).version());

    assertEquals(2, conflict(grid.commitConfig(1, "stale", "test")).currentVersion());
    assertEquals(2, conflict(grid.commitConfig(5, "from the future", "test")).currentVersion());
    assertNull(await(grid.configVersion(6)), "a refused commit leaves no version behind");
    assertEquals("v2", await(grid.headConfig()).document());
  }

  @Test
  void aVersionAbandonedBetweenClaimAndHeadMoveIsReclaimed() throws Exception {
    await(grid.commitConfig(0, "v1", "test"));
    versions().put(2L, new ConfigRecord(2, "orphan", System.currentTimeMillis() - 60_000, "died").toJson().encode());

    ConfigRecord committed = await(grid.commitConfig(1, "v2", "test"));

    assertEquals(2, committed.version());
    assertEquals("v2", await(grid.headConfig()).document());
  }

  @Test
  void aFreshClaimOfAnotherCommitterIsNotTakenAway() throws Exception {
    await(grid.commitConfig(0, "v1", "test"));
    versions().put(2L, new ConfigRecord(2, "in flight", System.currentTimeMillis(), "other").toJson().encode());

    conflict(grid.commitConfig(1, "v2", "test"));
    assertEquals("in flight", await(grid.configVersion(2)).document());
    assertFalse(await(grid.headConfig()).document().equals("v2"));
  }

  @Test
  void severalDocumentsCommitTogetherAndTheHeadJumpsToTheLast() throws Exception {
    await(grid.commitConfig(0, "v1", "test"));

    ConfigRecord last = await(grid.commitConfigs(1, List.of(new ConfigDraft("loser", "lost in merge"),
        new ConfigDraft("winner", "merge winner"))));

    assertEquals(3, last.version());
    assertEquals("winner", await(grid.headConfig()).document());
    assertEquals("loser", await(grid.configVersion(2)).document());
    assertEquals(ConfigRecord.hashOf("loser"), await(grid.configVersion(2)).hash());
    assertEquals(3, conflict(grid.commitConfigs(1, List.of(new ConfigDraft("late", "other node")))).currentVersion(),
        "a second node resolving the same merge finds the head moved");
  }

  @Test
  void aTakenLaterVersionGivesBackTheEarlierClaims() throws Exception {
    await(grid.commitConfig(0, "v1", "test"));
    versions().put(3L, new ConfigRecord(3, "in flight", System.currentTimeMillis(), "other").toJson().encode());

    conflict(grid.commitConfigs(1, List.of(new ConfigDraft("a", "x"), new ConfigDraft("b", "x"))));

    assertNull(await(grid.configVersion(2)), "the claim of version 2 was given back");
    assertEquals(1, await(grid.headConfig()).version());
  }

  @Test
  void ofConcurrentCommitsOnOneBaseExactlyOneWins() throws Exception {
    await(grid.commitConfig(0, "v1", "test"));
    List<Future<ConfigRecord>> commits = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      commits.add(grid.commitConfig(1, "v2 by " + i, "test"));
      commits.add(grid.commitConfig(5, "from the future " + i, "test"));
    }
    await(Future.join(commits).otherwiseEmpty());
    List<Future<ConfigRecord>> won = commits.stream().filter(Future::succeeded).toList();
    assertEquals(1, won.size(), "one commit on the head wins, none from the future");
    commits.stream().filter(Future::failed).forEach(c -> assertInstanceOf(ConfigConflictException.class, c.cause()));
    assertEquals(won.get(0).result().document(), await(grid.headConfig()).document());
    assertNull(await(grid.configVersion(3)), "nothing beyond the winner");
    assertNull(await(grid.configVersion(6)), "claims from the future were given back");
  }

  private com.hazelcast.map.IMap<Long, String> versions() {
    return hazelcast.getMap(GridNames.CONFIG_VERSIONS);
  }

  private static ConfigConflictException conflict(Future<ConfigRecord> commit) {
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(commit));
    return assertInstanceOf(ConfigConflictException.class, failure.getCause());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
