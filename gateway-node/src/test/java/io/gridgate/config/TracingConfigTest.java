package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code node.tracing} section: off by default, values, defaults per protocol, and errors with their YAML paths. */
class TracingConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String withTracing(String tracing) {
    return """
        node:
          tracing: %s
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: u}
        """.formatted(tracing);
  }

  private TracingSettings tracing(String section) {
    return parser.parse(withTracing(section)).node().tracing();
  }

  private List<String> errorsOf(String section) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(withTracing(section)));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void tracingIsOffUnlessEnabled() {
    assertEquals(TracingSettings.disabled(), parser.parse(withTracing("{}").replace("  tracing: {}\n", "")).node().tracing());
    TracingSettings empty = tracing("{}");
    assertEquals(false, empty.enabled());
    assertEquals(URI.create("http://127.0.0.1:4317"), empty.endpoint());
    assertEquals(TracingSettings.Protocol.GRPC, empty.protocol());
    assertEquals(1.0, empty.sampleRatio());
    assertEquals("gridgate", empty.serviceName());
  }

  @Test
  void everyFieldIsRead() {
    assertEquals(new TracingSettings(true, URI.create("https://collector.example:4318/otlp"),
            TracingSettings.Protocol.HTTP_PROTOBUF, 0.25, "edge-eu"),
        tracing("{enabled: true, otlp_endpoint: \"https://collector.example:4318/otlp\", protocol: http/protobuf,"
            + " sample_ratio: 0.25, service_name: edge-eu}"));
  }

  @Test
  void theDefaultEndpointFollowsTheProtocol() {
    assertEquals(URI.create("http://127.0.0.1:4318"), tracing("{protocol: http/protobuf}").endpoint());
  }

  @Test
  void aRatioOfZeroOnlyKeepsTracesTheClientSampled() {
    assertEquals(0.0, tracing("{sample_ratio: 0}").sampleRatio());
  }

  @Test
  void badValuesAreReportedWithTheirPaths() {
    assertEquals(List.of(
            "node.tracing.protocol: must be grpc or http/protobuf (was 'http')",
            "node.tracing.otlp_endpoint: must be an http:// or https:// URL with a host, such as http://127.0.0.1:4317"
                + " (was 'collector:4317')",
            "node.tracing.service_name: must not be empty",
            "node.tracing.enabled: must be true or false",
            "node.tracing.sample_ratio: must be between 0.0 and 1.0 (was 1.5)"),
        errorsOf("{enabled: yes please, protocol: http, otlp_endpoint: \"collector:4317\", sample_ratio: 1.5,"
            + " service_name: \" \"}"));
    assertEquals(List.of("node.tracing.otlp_endpoint: takes no path with protocol grpc (was 'http://c:4317/v1/traces')"),
        errorsOf("{otlp_endpoint: \"http://c:4317/v1/traces\"}"));
    assertEquals(List.of("node.tracing.otlp_endpoint: is not a URL: Illegal character in authority at index 7: http://c d"),
        errorsOf("{otlp_endpoint: \"http://c d\"}"));
    assertEquals(List.of("node.tracing.endpoint: unknown field (allowed: enabled, otlp_endpoint, protocol, sample_ratio,"
            + " service_name)"), errorsOf("{endpoint: \"http://c:4317\"}"));
  }
}
