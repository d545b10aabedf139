package io.gridgate.http1;

import static io.gridgate.testing.GatewayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.TracingSettings;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.OtlpReceiver;
import io.gridgate.testing.OtlpReceiver.ReceivedSpan;
import io.gridgate.testing.OtlpReceiver.ServerAndClient;
import io.gridgate.testing.RawHttp;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Netty HTTP/1.1 core on a Vert.x with an OpenTelemetry tracer, exporting over OTLP to a real
 * receiver on loopback: the core's server span continues the client's trace, the core's upstream
 * client span is its child, and the upstream receives the client span's traceparent; an exchange cut
 * short still ends both spans. The upstream and the receiver run on a Vert.x without a tracer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http1CoreTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-01");
  private Vertx plain;
  private Vertx traced;
  private NodeTracing tracing;
  private OtlpReceiver collector;
  private CoreUpstream upstream;
  private CoreFixture gateway;

  @BeforeEach
  void start() {
    plain = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    collector = OtlpReceiver.start(plain);
    upstream = new CoreUpstream(plain);
    int upstreamPort = upstream.start();
    tracing = NodeTracing.start(new TracingSettings(true, URI.create(collector.endpoint()),
        TracingSettings.Protocol.HTTP_PROTOBUF, 1.0, "core-test"));
    traced = tracing.configure(Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1))).build();
    gateway = CoreFixture.deploy(traced, new CoreFixture(upstreamPort, CoreFixture.pool(4, 100)));
  }

  @AfterEach
  void stop() {
    stopTracing();
    await(plain.close());
  }

  /** Closes the traced Vert.x, then exports what the tracer still holds (every span ended by then). */
  private void stopTracing() {
    if (tracing != null) {
      await(traced.close());
      tracing.close();
      tracing = null;
    }
  }

  private static String get(String path, String extraHeaders) {
    return "GET " + path + " HTTP/1.1\r\nHost: gw.test\r\n" + extraHeaders + "\r\n";
  }

  private static Map<String, String> attributes(ReceivedSpan span, String... keys) {
    return span.attributes().entrySet().stream().filter(e -> List.of(keys).contains(e.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void theCoresServerSpanIsTheParentOfItsUpstreamSpanWhoseTraceparentTheUpstreamGets() {
    String traceparent = "traceparent: 00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01\r\n";
    RawHttp.Response answer = RawHttp.exchange(gateway.port(), get("/traceparent?q=1", traceparent));

    assertEquals(200, answer.status());
    Matcher sent = TRACEPARENT.matcher(answer.body());
    assertTrue(sent.matches(), "one traceparent upstream: " + answer.body());
    assertEquals(TRACE_ID, sent.group(1), "the client's trace continues upstream");
    assertEquals(1, gateway.coreRequests.get(), "served by the core");
    assertEquals(0, gateway.vertxRequests.get());
    stopTracing();

    ServerAndClient spans = collector.serverAndClient(TRACE_ID); // the client span is the server span's child
    ReceivedSpan server = spans.server();
    ReceivedSpan client = spans.client();
    assertEquals(CLIENT_SPAN, server.parentSpanId(), "the server span is the client's child");
    assertEquals(client.spanId(), sent.group(2), "the upstream's parent is the core's client span");
    assertEquals("GET", server.name());
    assertEquals("GET", client.name());
    assertEquals(Map.of("http.url", "http://gw.test/traceparent?q=1", "http.request.method", "GET",
            "url.scheme", "http", "url.path", "/traceparent", "url.query", "q=1", "http.response.status_code", "200"),
        attributes(server, "http.url", "http.request.method", "url.scheme", "url.path", "url.query",
            "http.response.status_code"));
    assertEquals(Map.of("url.full", "http://127.0.0.1:" + upstream.port() + "/traceparent?q=1",
            "http.request.method", "GET", "http.response.status_code", "200"),
        attributes(client, "url.full", "http.request.method", "http.response.status_code"));
  }

  @Test
  void aRequestWithoutATraceStartsOneAtTheCore() {
    RawHttp.Response answer = RawHttp.exchange(gateway.port(), get("/traceparent", ""));
    Matcher sent = TRACEPARENT.matcher(answer.body());
    assertTrue(sent.matches(), answer.body());
    stopTracing();

    ServerAndClient spans = collector.serverAndClient(sent.group(1));
    assertEquals("", spans.server().parentSpanId(), "the core's server span is the root");
    assertEquals(spans.client().spanId(), sent.group(2));
  }

  @Test
  void anExchangeTheClientLeavesStillEndsBothSpans() throws IOException {
    String traceparent = "traceparent: 00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01\r\n";
    try (Socket socket = RawHttp.send(gateway.port(), get("/hang", traceparent))) {
      GatewayFixture.awaitCondition("the upstream got the request", GatewayFixture.WAIT, () -> upstream.requests.get() == 1);
    }
    GatewayFixture.awaitCondition("the exchange is over", GatewayFixture.WAIT, () -> gateway.open.isEmpty());
    stopTracing();

    ServerAndClient spans = collector.serverAndClient(TRACE_ID); // both ended, so both exported
    assertNull(spans.server().attribute("http.response.status_code"), "never answered");
    assertNull(spans.client().attribute("http.response.status_code"));
  }
}
