package io.gridgate.cluster;

import com.hazelcast.config.Config;
import io.gridgate.config.ClusterSettings;
import io.gridgate.edge.EdgeVertx;
import com.hazelcast.core.HazelcastInstance;
import io.gridgate.grid.GridCallMetrics;
import io.gridgate.grid.GridCalls;
import io.gridgate.grid.HazelcastBucketStore;
import io.gridgate.grid.HazelcastBreakerStore;
import io.gridgate.grid.HazelcastConsumerStore;
import io.gridgate.grid.HazelcastGrid;
import io.gridgate.grid.HazelcastReconciliation;
import io.gridgate.grid.HazelcastRevocationStore;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/** Starts a clustered Vert.x on Hazelcast and describes the membership it joined. */
public final class ClusterJoin {
  /** A clustered Vert.x instance and the membership it belongs to. */
  public record Joined(Vertx vertx, Membership membership) {}

  private ClusterJoin() {}

  /**
   * Joins the cluster described by {@code settings} with a Vert.x traced by {@code tracing}; a
   * Hazelcast file is resolved against {@code baseDir}. Grid calls are timed into the metrics
   * {@code gridMetrics} gives for the member id.
   */
  public static Future<Joined> join(VertxOptions options, NodeTracing tracing, ClusterSettings settings, Path baseDir,
                                    Function<String, GridCallMetrics> gridMetrics) {
    Config config;
    try {
      config = HazelcastConfigs.forNode(settings, baseDir);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    String host = HazelcastConfigs.boundHost(config);
    if (host != null) {
      // members bound to one interface (loopback here) talk event bus on it too; otherwise Vert.x
      // takes the address Hazelcast chose for this member (a pod's IP on Kubernetes)
      options.setEventBusOptions(new EventBusOptions().setHost(host).setClusterPublicHost(host));
    }
    return tracing.configure(EdgeVertx.builder(options)).withClusterManager(manager).buildClustered()
        .map(vertx -> new Joined(vertx, membership(vertx, manager, gridMetrics.apply(manager.getNodeId()))));
  }

  private static Membership membership(Vertx vertx, HazelcastClusterManager manager, GridCallMetrics metrics) {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    GridCalls calls = new GridCalls(vertx, metrics);
    HazelcastReconciliation reconciliation = new HazelcastReconciliation(vertx, hazelcast);
    return new Membership(
        new HazelcastGrid(vertx, calls, hazelcast),
        new HazelcastBreakerStore(vertx, calls, hazelcast, manager.getNodeId(), reconciliation),
        new HazelcastBucketStore(calls, hazelcast),
        new HazelcastRevocationStore(vertx, calls, hazelcast, reconciliation),
        new HazelcastConsumerStore(vertx, calls, hazelcast, reconciliation),
        manager.getNodeId(), manager::getNodes, reconciliation);
  }
}
