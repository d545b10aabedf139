package io.gridgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a node joins the cluster: Hazelcast cluster name, member port and TCP-IP members on
 * loopback (or a Hazelcast YAML file instead), the expected member count and how long fewer may
 * be seen before the node reports itself degraded, where the node keeps
 * its configuration snapshot for full-cluster restarts, where its clustered event bus listens,
 * whether its file or the cluster's document wins at start, how often its replicas of the grid
 * are compared with the grid and what it does on a minority side.
 */
public record ClusterSettings(
    String name,
    int port,
    boolean portAutoIncrement,
    List<String> members,
    Path hazelcastConfig,
    int expectedSize,
    Duration degradedGrace,
    Path dataDir,
    EventBusSettings eventBus,
    ConfigSource configSource,
    Duration digestInterval,
    MinorityMode minority) {
  public static final Duration DEFAULT_DIGEST_INTERVAL = Duration.ofSeconds(1);

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /** Settings with the default event bus (an OS-chosen port), the cluster's document winning at start, the default digest interval and a minority serving. */
  public ClusterSettings(String name, int port, boolean portAutoIncrement, List<String> members, Path hazelcastConfig,
                         int expectedSize, Duration degradedGrace, Path dataDir) {
    this(name, port, portAutoIncrement, members, hazelcastConfig, expectedSize, degradedGrace, dataDir,
        EventBusSettings.defaults(), ConfigSource.CLUSTER, DEFAULT_DIGEST_INTERVAL, MinorityMode.SERVE);
  }

  public ClusterSettings withEventBus(EventBusSettings settings) {
    return new ClusterSettings(name, port, portAutoIncrement, members, hazelcastConfig, expectedSize, degradedGrace,
        dataDir, settings, configSource, digestInterval, minority);
  }

  public ClusterSettings withConfigSource(ConfigSource source) {
    return new ClusterSettings(name, port, portAutoIncrement, members, hazelcastConfig, expectedSize, degradedGrace,
        dataDir, eventBus, source, digestInterval, minority);
  }

  public static ClusterSettings defaults() {
    return new ClusterSettings("gridgate", 5701, true,
        List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), null, 1, Duration.ofSeconds(30),
        Path.of("data"));
  }
}
