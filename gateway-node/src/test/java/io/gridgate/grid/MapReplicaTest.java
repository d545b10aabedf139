package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ClusterSettings;
import io.gridgate.testing.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica on one of two real Hazelcast members, re-read over and over while the other member
 * writes and deletes the same keys: once the writes stop and their events are in, the replica holds
 * exactly what the map holds, with no further re-read. A re-read that overwrote what the listener
 * applied meanwhile would leave a deleted key resurrected or an old value for good.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MapReplicaTest {
  private final List<HazelcastInstance> members = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp() throws Exception {
    List<Integer> ports = Arrays.stream(FreePorts.belowEphemeralRange(2)).boxed().toList();
    String cluster = "gridgate-replica-" + UUID.randomUUID();
    for (int port : ports) {
      ClusterSettings settings = new ClusterSettings(cluster, port, false,
          ports.stream().map(p -> "127.0.0.1:" + p).toList(), null, 2, Duration.ofSeconds(30), Path.of("data"));
      members.add(Hazelcast.newHazelcastInstance(HazelcastConfigs.forNode(settings, Path.of("."))));
    }
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  @Test
  void reReadsRacingTheListenerNeverUndoAChange() throws Exception {
    Map<String, String> replica = new ConcurrentHashMap<>();
    MapReplica<String> feed = new HazelcastReconciliation(vertx, members.get(1)).replica("race",
        members.get(1).getMap("race"), Digest::text, new MapReplica.Sink<>() {
          @Override
          public void put(String key, String value) {
            replica.put(key, value);
          }

          @Override
          public void remove(String key) {
            replica.remove(key);
          }
        });
    await(feed.start());
    IMap<String, String> map = members.get(0).getMap("race");
    AtomicInteger rereadsSoFar = new AtomicInteger();
    Thread writer = new Thread(() -> {
      // 4 s of writes, longer on a loaded machine until 10 re-reads raced them (at most 60 s)
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      long cap = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; System.nanoTime() - end < 0 || rereadsSoFar.get() < 10 && System.nanoTime() - cap < 0; i++) {
        String key = "k" + ThreadLocalRandom.current().nextInt(40);
        if (i % 3 == 0) {
          map.delete(key);
        } else {
          map.set(key, "v" + i);
        }
      }
    });
    writer.start();
    int rereads = 0;
    int corrected = 0;
    while (writer.isAlive()) {
      corrected += await(feed.reload());
      rereads = rereadsSoFar.incrementAndGet();
    }
    writer.join();
    System.out.printf("%d re-reads during the writes corrected %d keys%n", rereads, corrected);
    assertTrue(rereads >= 10, "re-reads raced the writes: " + rereads);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!replica.equals(new HashMap<>(map))) {
      assertTrue(System.nanoTime() < deadline, "the replica differs from the map once the writes' events are in: "
          + replica + " vs " + new HashMap<>(map));
      Thread.sleep(20);
    }
    assertEquals(feed.gridDigest(0), feed.localDigest(0), "digests agree");
    assertEquals(0, await(feed.reload()), "nothing left to correct");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
