package io.gridgate.cluster;

import io.gridgate.testing.ClusterFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that run on three gateway nodes clustered in this JVM, started before each test and closed after. */
abstract class ThreeNodeClusterTest {
  @TempDir
  Path dir;
  ClusterFixture cluster;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new ClusterFixture(dir, 3, 3);
    for (int i = 0; i < 3; i++) {
      cluster.startNode(i);
    }
  }

  @AfterEach
  void closeCluster() {
    cluster.close();
  }
}
