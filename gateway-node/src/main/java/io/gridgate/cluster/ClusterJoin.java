package io.gridgate.cluster;

import com.hazelcast.config.Config;
import io.gridgate.config.ClusterSettings;
import io.gridgate.grid.HazelcastBucketStore;
import io.gridgate.grid.HazelcastBreakerStore;
import io.gridgate.grid.HazelcastConsumerStore;
import io.gridgate.grid.HazelcastGrid;
import io.gridgate.grid.HazelcastRevocationStore;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Path;

/** Starts a clustered Vert.x on Hazelcast and describes the membership it joined. */
public final class ClusterJoin {
  /** A clustered Vert.x instance and the membership it belongs to. */
  public record Joined(Vertx vertx, Membership membership) {}

  private ClusterJoin() {}

  /**
   * Joins the cluster described by {@code settings} with a Vert.x traced by {@code tracing}; a
   * Hazelcast file is resolved against {@code baseDir}.
   */
  public static Future<Joined> join(VertxOptions options, NodeTracing tracing, ClusterSettings settings, Path baseDir) {
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
    return tracing.configure(Vertx.builder().with(options)).withClusterManager(manager).buildClustered()
        .map(vertx -> new Joined(vertx, new Membership(
            new HazelcastGrid(vertx, manager.getHazelcastInstance()),
            new HazelcastBreakerStore(vertx, manager.getHazelcastInstance(), manager.getNodeId()),
            new HazelcastBucketStore(vertx, manager.getHazelcastInstance()),
            new HazelcastRevocationStore(vertx, manager.getHazelcastInstance()),
            new HazelcastConsumerStore(vertx, manager.getHazelcastInstance()),
            manager.getNodeId(), manager::getNodes)));
  }
}
