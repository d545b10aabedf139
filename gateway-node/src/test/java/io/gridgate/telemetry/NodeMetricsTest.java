package io.gridgate.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.admin.AdminToken;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.node.GatewayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node started with its metrics options serves Prometheus text at /metrics with its applied
 * config version, its cluster view and its upstreams' breaker and bulkhead meters.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeMetricsTest {

  @Test
  void metricsShowTheAppliedVersionAndTheClusterView() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(NodeMetrics.options()));
    try {
      GatewayConfig config = new ConfigParser().parse("""
          node:
            http: {host: 127.0.0.1, port: 0}
            admin: {host: 127.0.0.1, port: 0}
            event_loops: 1
          upstreams:
            u:
              targets: [{address: "127.0.0.1:9"}]
              circuit_breaker: {consecutive_failures: 1, scope: local}
              bulkhead: {max_concurrent: 10}
          routes:
            - {id: r, match: {path: {prefix: /}}, upstream: u}
          """);
      GatewayNode node = await(GatewayNode.start(vertx, config, Membership.standalone(), AdminToken.of("t"), null));
      HttpClient client = vertx.createHttpClient(); // kept referenced: an unreachable client is closed when collected
      int refused = await(client
          .request(HttpMethod.GET, node.httpPort(), "127.0.0.1", "/")
          .compose(req -> req.send().map(HttpClientResponse::statusCode)));
      assertEquals(502, refused, "nothing listens on port 9: a connect error trips the breaker");
      String metrics = await(client
          .request(HttpMethod.GET, node.adminPort(), "127.0.0.1", "/metrics")
          .compose(req -> req.send().compose(HttpClientResponse::body))).toString();

      assertTrue(metrics.contains("gridgate_config_applied_version{member=\"standalone\"} 1.0"), metrics);
      assertTrue(metrics.contains("gridgate_cluster_members{member=\"standalone\"} 1.0"), metrics);
      assertTrue(metrics.contains("gridgate_cluster_expected_members{member=\"standalone\"} 1.0"), metrics);
      assertTrue(metrics.contains("gridgate_cluster_degraded{member=\"standalone\"} 0.0"), metrics);
      assertTrue(metrics.contains("gridgate_circuit_breaker_state{member=\"standalone\",upstream=\"u\"} 1.0"), metrics);
      assertTrue(metrics.contains(
          "gridgate_circuit_breaker_transitions_total{member=\"standalone\",to=\"open\",upstream=\"u\"} 1.0"), metrics);
      assertTrue(metrics.contains("gridgate_bulkhead_rejected_total{member=\"standalone\",upstream=\"u\"} 0.0"), metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertEquals(-1, metrics.indexOf("vertx_http_server_requests"), "per-request HTTP metrics stay off");
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
