package io.gridgate.testing;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.gridgate.cluster.HazelcastConfigs;
import io.gridgate.config.ClusterSettings;
import io.gridgate.grid.GridClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Real Hazelcast members of a fresh cluster on loopback, configured as nodes configure theirs, whose
 * entry processors read the time from one {@link ManualClock}.
 */
public final class GridMembers implements AutoCloseable {
  private final List<HazelcastInstance> members = new ArrayList<>();

  /** Starts {@code count} members that read the time from {@code clock}. */
  public GridMembers(int count, ManualClock clock) throws IOException {
    List<Integer> ports = Arrays.stream(FreePorts.belowEphemeralRange(count)).boxed().toList();
    String cluster = "gridgate-test-" + UUID.randomUUID();
    for (int port : ports) {
      ClusterSettings settings = new ClusterSettings(cluster, port, false,
          ports.stream().map(p -> "127.0.0.1:" + p).toList(), null, count, Duration.ofSeconds(30), Path.of("data"));
      Config config = HazelcastConfigs.forNode(settings, Path.of("."));
      GridClock.install(config, clock::millis);
      members.add(Hazelcast.newHazelcastInstance(config));
    }
  }

  public HazelcastInstance member(int index) {
    return members.get(index);
  }

  /** Stops every member at once (a crash, not a graceful leave). */
  @Override
  public void close() {
    members.forEach(member -> member.getLifecycleService().terminate());
  }
}
