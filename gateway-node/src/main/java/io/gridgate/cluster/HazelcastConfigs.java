package io.gridgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.YamlConfigBuilder;
import io.gridgate.config.ClusterSettings;
import io.gridgate.grid.GridNames;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast member configuration of a node: from a Hazelcast YAML file when the node
 * names one, otherwise TCP-IP join on the configured loopback members. Either way phone-home is
 * off, the member binds only its own address (not every interface), the maps Vert.x needs exist
 * and every GridGate map keeps at least one backup.
 */
public final class HazelcastConfigs {
  /** Hazelcast binds the wildcard address unless this is false, whatever {@code network.interfaces} says. */
  static final String BIND_ANY = "hazelcast.socket.bind.any";

  private HazelcastConfigs() {}

  public static Config forNode(ClusterSettings cluster, Path baseDir) throws IOException {
    Config config;
    if (cluster.hazelcastConfig() != null) {
      Path file = baseDir.resolve(cluster.hazelcastConfig());
      try (InputStream in = Files.newInputStream(file)) {
        config = new YamlConfigBuilder(in).build();
      }
      addVertxStructures(config);
    } else {
      config = loopback(cluster);
    }
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    if (config.getProperty(BIND_ANY) == null) {
      // the configured interface (127.0.0.1 on loopback), else the address Hazelcast picks (a pod's IP)
      config.setProperty(BIND_ANY, "false");
    }
    addGridMaps(config);
    return config;
  }

  /** The single interface the member is bound to (127.0.0.1 for local runs), or null when it is not pinned. */
  static String boundHost(Config config) {
    InterfacesConfig interfaces = config.getNetworkConfig().getInterfaces();
    if (!interfaces.isEnabled() || interfaces.getInterfaces().size() != 1) {
      return null;
    }
    String only = interfaces.getInterfaces().iterator().next();
    return only.contains("*") || only.contains("-") ? null : only;
  }

  /** TCP-IP join on 127.0.0.1 with the given members, multicast and auto-detection off. */
  static Config loopback(ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.join.seconds", "60");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(cluster.portAutoIncrement())
        .setPortCount(Math.max(1, cluster.members().size()));
    network.setInterfaces(new InterfacesConfig().setEnabled(true).addInterface("127.0.0.1"));
    JoinConfig join = network.getJoin();
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1).setMembers(cluster.members());
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    return config;
  }

  private static void addVertxStructures(Config config) {
    Config vertx = ConfigUtil.loadConfig();
    for (MultiMapConfig multiMap : vertx.getMultiMapConfigs().values()) {
      config.getMultiMapConfigs().putIfAbsent(multiMap.getName(), multiMap);
    }
    for (MapConfig map : vertx.getMapConfigs().values()) {
      config.getMapConfigs().putIfAbsent(map.getName(), map);
    }
  }

  private static void addGridMaps(Config config) {
    for (String name : GridNames.MAPS) {
      MapConfig map = config.getMapConfigs().computeIfAbsent(name, MapConfig::new);
      map.setBackupCount(Math.max(1, map.getBackupCount()));
    }
  }
}
