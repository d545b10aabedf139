package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gridgate.config.ClusterSettings;
import io.gridgate.grid.GridNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The member configurations a node builds never multicast or phone home, and keep backups of GridGate's maps. */
class HazelcastConfigsTest {
  private static final Path CLUSTER_CONFIG = Path.of("../cluster-config");

  @ParameterizedTest
  @ValueSource(strings = {"", "hazelcast.yaml"})
  void loopbackConfigsJoinOnlyOverTcpIpOn127001(String file) throws Exception {
    Config config = HazelcastConfigs.forNode(settings(file), CLUSTER_CONFIG);
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().getMembers().stream().allMatch(m -> m.startsWith("127.0.0.1:")),
        join.getTcpIpConfig().getMembers().toString());
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("127.0.0.1", HazelcastConfigs.boundHost(config), "the event bus binds to loopback too");
    assertCommonSafety(config);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hazelcast-k8s.yaml"})
  void kubernetesConfigDiscoversThroughTheHeadlessServiceNotMulticast(String file) throws Exception {
    Config config = HazelcastConfigs.forNode(settings(file), CLUSTER_CONFIG);
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertNotNull(join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals(null, HazelcastConfigs.boundHost(config), "on Kubernetes the event bus uses the pod's address");
    assertCommonSafety(config);
  }

  private static void assertCommonSafety(Config config) {
    assertEquals("gridgate-test", config.getClusterName(), "node.cluster.name wins over the file");
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"), "the member binds its own address, not every interface");
    assertNotNull(config.getMultiMapConfigs().get("__vertx.subs"), "Vert.x's subscription map");
    for (String map : GridNames.MAPS) {
      assertTrue(config.getMapConfig(map).getBackupCount() >= 1, map + " must keep a backup");
    }
  }

  private static ClusterSettings settings(String file) {
    return new ClusterSettings("gridgate-test", 5701, true, List.of("127.0.0.1:5701", "127.0.0.1:5702"),
        file.isEmpty() ? null : Path.of(file), 1, Duration.ofSeconds(30), Path.of("data"));
  }
}
