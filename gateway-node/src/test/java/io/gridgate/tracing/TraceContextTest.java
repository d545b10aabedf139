package io.gridgate.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * W3C Trace Context to upstreams with OpenTelemetry off: a client's trace is continued with the
 * gateway as parent, a missing or malformed one is started afresh, once per request.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TraceContextTest {
  private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String CLIENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private GatewayFixture gw;
  private TestUpstream app;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.singleRoute("", app));
  }

  private String upstreamTraceparent(Map<String, String> headers) {
    assertEquals(200, gw.send(HttpMethod.GET, "/t", headers, null).status());
    return app.last().header("traceparent");
  }

  @Test
  void aClientsTraceIsContinuedWithTheGatewayAsParent() {
    String sent = upstreamTraceparent(Map.of("traceparent", CLIENT_TRACE, "tracestate", "vendor=abc"));
    assertTrue(TRACEPARENT.matcher(sent).matches(), sent);
    assertEquals(CLIENT_TRACE.substring(0, 35), sent.substring(0, 35), "same trace id");
    assertNotEquals(CLIENT_TRACE.substring(36, 52), sent.substring(36, 52), "the gateway's own span id");
    assertEquals("01", sent.substring(53));
    assertEquals("vendor=abc", app.last().header("tracestate"));
  }

  @Test
  void aMissingTraceIsStartedAndEachRequestGetsItsOwn() {
    String first = upstreamTraceparent(Map.of());
    String second = upstreamTraceparent(Map.of());
    assertTrue(TRACEPARENT.matcher(first).matches(), first);
    assertNotEquals(first.substring(3, 35), second.substring(3, 35));
  }

  @Test
  void aTraceStartedByTheGatewayKeepsItsIdAcrossRetries() {
    TestUpstream first = gw.upstream("first", TestUpstream.statusHandler(503));
    TestUpstream second = gw.upstream("second", TestUpstream.statusHandler(503));
    gw.startGateway(GatewayFixture.singleRoute("retries: {attempts: 1}", first, second));

    assertEquals(503, gw.get("/t").status());
    String a = first.last().header("traceparent");
    String b = second.last().header("traceparent");
    assertEquals(a.substring(0, 35), b.substring(0, 35), "one trace: " + a + ", " + b);
    assertNotEquals(a.substring(36, 52), b.substring(36, 52), "each attempt is its own span");
  }

  @Test
  void aMalformedTraceIsReplacedAndItsStateDropped() {
    for (String bad : new String[] {
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "garbage"}) {
      String sent = upstreamTraceparent(Map.of("traceparent", bad, "tracestate", "vendor=abc"));
      assertTrue(TRACEPARENT.matcher(sent).matches(), bad + " -> " + sent);
      assertNotEquals(bad.substring(0, Math.min(35, bad.length())), sent.substring(0, 35), bad);
      assertNull(app.last().header("tracestate"), bad);
    }
  }
}
