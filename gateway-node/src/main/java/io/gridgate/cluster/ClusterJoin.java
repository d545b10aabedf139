package io.gridgate.cluster;

import com.hazelcast.config.Config;
import io.gridgate.config.ClusterSettings;
import io.gridgate.config.EventBusSettings;
import io.gridgate.edge.EdgeVertx;
import com.hazelcast.core.HazelcastInstance;
import io.gridgate.grid.GridCallMetrics;
import io.gridgate.grid.GridCalls;
import io.gridgate.grid.GridClock;
import io.gridgate.grid.HazelcastBucketStore;
import io.gridgate.grid.HazelcastBreakerStore;
import io.gridgate.grid.HazelcastConsumerStore;
import io.gridgate.grid.HazelcastConfigStore;
import io.gridgate.grid.HazelcastReconciliation;
import io.gridgate.grid.HazelcastRevocationStore;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** Starts a clustered Vert.x on Hazelcast and describes the membership it joined. */
public final class ClusterJoin {
  /** A clustered Vert.x instance and the membership it belongs to. */
  public record Joined(Vertx vertx, Membership membership) {}

  private ClusterJoin() {}

  /**
   * Joins the cluster described by {@code settings} with a Vert.x traced by {@code tracing}; a
   * Hazelcast file is resolved against {@code baseDir}. ConfigStore calls are timed into the metrics
   * {@code gridMetrics} gives for the member id.
   */
  public static Future<Joined> join(VertxOptions options, NodeTracing tracing, ClusterSettings settings, Path baseDir,
                                    Function<String, GridCallMetrics> gridMetrics) {
    return join(options, tracing, settings, baseDir, gridMetrics, System::currentTimeMillis);
  }

  /**
   * {@link #join(VertxOptions, NodeTracing, ClusterSettings, Path, Function)} with the member's entry
   * processors reading the time (epoch millis) from {@code gridClockMillis} (tests move it by hand).
   */
  public static Future<Joined> join(VertxOptions options, NodeTracing tracing, ClusterSettings settings, Path baseDir,
                                    Function<String, GridCallMetrics> gridMetrics, LongSupplier gridClockMillis) {
    Config config;
    try {
      config = HazelcastConfigs.forNode(settings, baseDir);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    GridClock.install(config, gridClockMillis);
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    EventBusOptions eventBus = eventBusOptions(settings.eventBus(), HazelcastConfigs.boundHost(config));
    options.setEventBusOptions(eventBus);
    return tracing.configure(EdgeVertx.builder(options)).withClusterManager(manager).buildClustered()
        .recover(err -> Future.failedFuture(portTaken(err)
            ? new IOException("cannot listen for the cluster event bus on "
                + (eventBus.getHost() == null ? "the member's address" : eventBus.getHost()) + " port " + eventBus.getPort()
                + " (node.cluster.event_bus): " + err.getMessage(), err)
            : err))
        .map(vertx -> new Joined(vertx, membership(vertx, manager, gridMetrics.apply(manager.getNodeId()))));
  }

  /** Hazelcast has bound its port by now: a port taken when Vert.x starts is the event bus's (JDK or native transport). */
  private static boolean portTaken(Throwable err) {
    return err instanceof BindException || String.valueOf(err.getMessage()).contains("Address already in use");
  }

  /**
   * The event bus on the configured host and port. Without a host it listens where the member is
   * bound when that is one interface (loopback locally), otherwise on the address Hazelcast chose for
   * this member (a pod's IP on Kubernetes). Other members connect to the public host and port,
   * which default to the listening ones.
   */
  static EventBusOptions eventBusOptions(EventBusSettings bus, String memberHost) {
    String host = bus.host() != null ? bus.host() : memberHost;
    String publicHost = bus.publicHost() != null ? bus.publicHost() : host;
    EventBusOptions options = new EventBusOptions().setHost(host).setPort(bus.port()).setClusterPublicHost(publicHost);
    return bus.publicPort() > 0 ? options.setClusterPublicPort(bus.publicPort()) : options;
  }

  private static Membership membership(Vertx vertx, HazelcastClusterManager manager, GridCallMetrics metrics) {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    GridCalls calls = new GridCalls(vertx, metrics);
    HazelcastReconciliation reconciliation = new HazelcastReconciliation(vertx, hazelcast);
    return new Membership(
        new HazelcastConfigStore(vertx, calls, hazelcast),
        new HazelcastBreakerStore(vertx, calls, hazelcast, manager.getNodeId(), reconciliation),
        new HazelcastBucketStore(calls, hazelcast),
        new HazelcastRevocationStore(vertx, calls, hazelcast, reconciliation),
        new HazelcastConsumerStore(vertx, calls, hazelcast, reconciliation),
        manager.getNodeId(), manager::getNodes, reconciliation);
  }
}
