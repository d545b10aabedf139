package io.gridgate.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ConfigParser;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.OtlpReceiver;
import io.gridgate.testing.OtlpReceiver.ReceivedSpan;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenTelemetry through vertx-opentelemetry, exported over OTLP to a real receiver on loopback:
 * one trace from the client's trace id through the gateway's server span and its client span to
 * the upstream, which receives the client span's context; sampling; nothing exported when off.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenTelemetryTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final String CLIENT_TRACE = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private GatewayFixture gw;
  private TestUpstream app;
  private OtlpReceiver collector;
  private NodeTracing tracing;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    collector = OtlpReceiver.start(vertx);
  }

  @AfterEach
  void tearDown() {
    stopGateway();
  }

  /** Starts a node whose Vert.x is built with the tracing its {@code node.tracing} section asks for. */
  private void startGateway(String tracingSection) {
    String yaml = GatewayFixture.withApp(app, "drain_timeout: 1s", "tracing: " + tracingSection) + """
        jwt_issuers:
          idp: {issuer: "https://idp.test", algorithms: [RS256], jwks_url: "http://127.0.0.1:%d/jwks"}
        routes:
          - {id: secure, match: {path: {prefix: /secure}}, upstream: app, auth: {jwt: {issuers: [idp]}}}
          - {id: all, match: {path: {prefix: /}}, upstream: app}
        """.formatted(GatewayFixture.deadPort());
    tracing = NodeTracing.start(new ConfigParser().parse(yaml).node().tracing());
    gw.startGateway(tracing.configure(Vertx.builder()).build(), yaml);
  }

  private String enabled(String protocol, double sampleRatio) {
    return "{enabled: true, otlp_endpoint: \"%s\", protocol: %s, sample_ratio: %s, service_name: gridgate-test}"
        .formatted(collector.endpoint(), protocol, sampleRatio);
  }

  /** Drains the node (every span of its requests has ended), then flushes the exporter as the node's shutdown does. */
  private void stopGateway() {
    if (tracing != null) {
      GatewayFixture.await(gw.node().drainAndStop());
      tracing.close();
      tracing = null;
    }
  }

  /** The upstream's traceparent after a GET of {@code uri} with {@code headers}, as [trace id, span id, flags]. */
  private List<String> upstreamTraceparent(String uri, Map<String, String> headers) {
    assertEquals(200, gw.send(HttpMethod.GET, uri, headers, null).status());
    List<String> sent = app.last().headers().getAll("traceparent");
    assertEquals(1, sent.size(), "one traceparent upstream: " + sent);
    Matcher m = TRACEPARENT.matcher(sent.get(0));
    assertTrue(m.matches(), sent.get(0));
    return List.of(m.group(1), m.group(2), m.group(3));
  }

  private List<ReceivedSpan> spansOf(String traceId) {
    return collector.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind) {
    List<ReceivedSpan> found = spans.stream().filter(s -> s.kind() == kind).toList();
    assertEquals(1, found.size(), kind + " spans in " + spans);
    return found.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void aClientsTraceRunsThroughTheGatewaysServerAndClientSpansToTheUpstream(String protocol) {
    startGateway(enabled(protocol, 1.0));

    List<String> upstream = upstreamTraceparent("/orders/7",
        Map.of("traceparent", CLIENT_TRACE, "tracestate", "vendor=abc", "X-Request-Id", "req-otel-1"));
    assertEquals(TRACE_ID, upstream.get(0), "the client's trace continues upstream");
    assertEquals("01", upstream.get(2));
    assertEquals("vendor=abc", app.last().header("tracestate"));
    stopGateway();

    List<ReceivedSpan> spans = spansOf(TRACE_ID);
    assertEquals(2, spans.size(), "spans: " + collector.spans());
    ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER);
    ReceivedSpan client = only(spans, SpanKind.SPAN_KIND_CLIENT);
    assertEquals(CLIENT_SPAN, server.parentSpanId(), "the server span is the client's child");
    assertEquals(server.spanId(), client.parentSpanId(), "the client span is the server span's child");
    assertEquals(client.spanId(), upstream.get(1), "the upstream's parent is the gateway's client span");
    assertEquals("GET all", server.name());
    assertEquals("gridgate-test", server.service());
    assertEquals(Map.of("gridgate.route", "all", "gridgate.upstream", "app", "gridgate.request_id", "req-otel-1",
            "http.response.status_code", "200"),
        subset(server, "gridgate.route", "gridgate.upstream", "gridgate.request_id", "http.response.status_code"));
    assertEquals(Map.of("gridgate.route", "all", "gridgate.upstream", "app", "http.response.status_code", "200"),
        subset(client, "gridgate.route", "gridgate.upstream", "http.response.status_code"));
    assertEquals("http://" + app.address() + "/orders/7", client.attribute("url.full"));
  }

  private static Map<String, String> subset(ReceivedSpan span, String... keys) {
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      if (span.attribute(key) != null) {
        out.put(key, span.attribute(key));
      }
    }
    return out;
  }

  @Test
  void aRequestWithoutATraceStartsOneAtTheGateway() {
    startGateway(enabled("http/protobuf", 1.0));

    List<String> upstream = upstreamTraceparent("/t", Map.of());
    stopGateway();

    List<ReceivedSpan> spans = spansOf(upstream.get(0));
    ReceivedSpan server = only(spans, SpanKind.SPAN_KIND_SERVER);
    assertEquals("", server.parentSpanId(), "the gateway's span is the root");
    assertEquals(upstream.get(1), only(spans, SpanKind.SPAN_KIND_CLIENT).spanId());
  }

  @Test
  void newTracesAreSampledAtTheRatioWhileASampledClientTraceIsAlwaysKept() {
    startGateway(enabled("http/protobuf", 0.0));

    List<String> unsampled = upstreamTraceparent("/t", Map.of());
    assertEquals("00", unsampled.get(2), "not sampled, and the upstream is told so");
    List<String> continued = upstreamTraceparent("/t", Map.of("traceparent", CLIENT_TRACE));
    assertEquals(TRACE_ID, continued.get(0));
    stopGateway();

    assertEquals(2, spansOf(TRACE_ID).size(), "the client's sampled trace is exported");
    assertEquals(List.of(), spansOf(unsampled.get(0)), "the unsampled trace is not");
  }

  @Test
  void aLogLineWhileServingCarriesOpenTelemetrysTraceId() {
    startGateway(enabled("http/protobuf", 1.0));
    String token = TestTokens.sign("RS256", TestTokens.rsa().getPrivate(), "k1",
        TestTokens.claims("https://idp.test", "carol", null));

    try (LogCapture logs = LogCapture.onRootLogger()) {
      gw.send(HttpMethod.GET, "/secure", Map.of("Authorization", "Bearer " + token, "X-Request-Id", "req-otel-log"), null);
      stopGateway();
      ReceivedSpan server = collector.spans().stream()
          .filter(s -> "req-otel-log".equals(s.attribute("gridgate.request_id"))).findFirst().orElseThrow();
      String line = logs.lineWith("JWKS of issuer idp could not be fetched");
      assertTrue(line.contains(" request_id=req-otel-log trace_id=" + server.traceId() + " "), line);
    }
  }

  @Test
  void withTracingOffNothingIsExportedAndTheGatewaysOwnTraceparentGoesUpstream() {
    startGateway("{enabled: false, otlp_endpoint: \"%s\", protocol: http/protobuf}".formatted(collector.endpoint()));
    assertSame(NodeTracing.OFF, tracing);

    List<String> upstream = upstreamTraceparent("/t", Map.of("traceparent", CLIENT_TRACE));
    assertEquals(TRACE_ID, upstream.get(0));
    assertNotEquals(CLIENT_SPAN, upstream.get(1));
    stopGateway();

    assertEquals(List.of(), collector.spans());
  }
}
