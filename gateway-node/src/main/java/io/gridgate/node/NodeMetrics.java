package io.gridgate.node;

import io.gridgate.ratelimit.LimiterMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The node's Prometheus metrics (vertx-micrometer-metrics), scraped at {@code /metrics} on the
 * admin port: JVM and event-bus metrics from Vert.x, and the node's own gauges — the configuration
 * version it has applied, its view of the cluster and its rate limits — tagged with its member id.
 */
public final class NodeMetrics {
  private NodeMetrics() {}

  /** Metrics options for a node's Vert.x. Per-request HTTP metrics stay off on the data plane for now. */
  public static MetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
  }

  /** The registry of a Vert.x started with {@link #options()}, or null when metrics are off. */
  static MeterRegistry registry() {
    return BackendRegistries.getDefaultNow();
  }

  /** Each declared limit's decisions and grid calls, tagged with the limit's id and the member. */
  static LimiterMetrics limiterMetrics(String member) {
    MeterRegistry registry = registry();
    return registry == null ? LimiterMetrics.NONE : new RateLimitMeters(registry, member);
  }

  static void bind(MeterRegistry registry, ConfigService configs, ClusterHealth cluster) {
    String member = configs.memberId();
    Gauge.builder("gridgate.config.applied.version", configs, ConfigService::appliedVersion)
        .description("Configuration version this node applied").tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.members", cluster, ClusterHealth::members)
        .description("Cluster members this node sees").tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.expected.members", cluster, ClusterHealth::expected)
        .description("Cluster size the operator expects").tag("member", member).register(registry);
    Gauge.builder("gridgate.cluster.degraded", cluster, c -> c.isDegraded() ? 1 : 0)
        .description("1 while fewer members than expected are seen past the grace period")
        .tag("member", member).register(registry);
  }
}
