package io.gridgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's 502/503/504 answers name the upstream and never a target address or an exception;
 * the target and the exception reach the access log ({@code upstream_error}) and the node log, at
 * most one line per upstream per interval. Covers an unreachable target, a target closing the
 * connection, a silent one, a 502 retried away, a WebSocket upgrade and a composed part.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamFailureMessagesTest {
  private final int dead = GatewayFixture.deadPort();
  private GatewayFixture gw;
  private RecordingUpstream app;
  private Path accessLog;
  private LogCapture log;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    gw = new GatewayFixture(vertx);
    log = LogCapture.onRootLogger();
    app = RecordingUpstream.start().answer(request -> switch (request.target()) {
      case "/closing" -> new RecordingUpstream.Answer.Close();
      case "/silent" -> new RecordingUpstream.Answer.Silence();
      default -> RecordingUpstream.Answer.status(502, "bad");
    });
    accessLog = dir.resolve("access.log");
    gw.startGateway(GatewayFixture.nodeYaml("access_log: {enabled: true, output: \"" + accessLog + "\", sample_ratio: 1.0}") + """
        upstreams:
          app: {targets: [{address: "%s"}]}
          dead: {targets: [{address: "127.0.0.1:%d"}], health_check: {passive: {max_failures: 0}}}
          logged-once: {targets: [{address: "127.0.0.1:%d"}], health_check: {passive: {max_failures: 0}}}
        routes:
          - {id: dead, match: {path: {prefix: /dead}}, upstream: dead, retries: {attempts: 0}}
          - {id: logged, match: {path: {prefix: /logged}}, upstream: logged-once, retries: {attempts: 0}}
          - {id: closing, match: {path: {prefix: /closing}, methods: [POST]}, upstream: app}
          - {id: silent, match: {path: {prefix: /silent}}, upstream: app, timeouts: {total: 2s}}
          - {id: flaky, match: {path: {prefix: /flaky}}, upstream: app, retries: {attempts: 1}}
          - id: composed
            match: {path: {prefix: /composed}, methods: [GET]}
            compose:
              parts: [{name: gone, upstream: dead, path: /x}]
        """.formatted(app.address(), dead, dead));
  }

  @AfterEach
  void tearDown() {
    log.close();
    app.close();
  }

  /** Asserts the gateway's answer and that it tells nothing about targets or exceptions. */
  private static void assertGeneric(int status, String error, String message, int replyStatus, String body) {
    assertEquals(status, replyStatus, body);
    JsonObject json = new JsonObject(body);
    assertEquals(error, json.getString("error"));
    assertEquals(message, json.getString("message"));
    for (String leak : List.of("127.0.0.1", "Exception", "java.", "io.netty", "io.vertx")) {
      assertFalse(body.contains(leak), "the client must not learn '" + leak + "': " + body);
    }
  }

  private static void assertGeneric(int status, String error, String message, GatewayFixture.Reply reply) {
    assertGeneric(status, error, message, reply.status(), reply.bodyString());
  }

  /** The access-log line of the {@code count}-th request. */
  private JsonObject logged(int count) {
    return GatewayFixture.awaitJsonLines(accessLog, count).get(count - 1);
  }

  @Test
  void anUnreachableTargetIsNamedOnlyByItsUpstreamAndDetailedInTheAccessLog() {
    assertGeneric(502, "bad_gateway", "upstream 'dead' could not be reached", gw.get("/dead/x"));

    JsonObject line = logged(1);
    assertEquals("127.0.0.1:" + dead, line.getString("target"));
    String detail = line.getString("upstream_error");
    assertTrue(detail.startsWith("target 127.0.0.1:" + dead + ": ") && detail.contains("ConnectException"), detail);
  }

  /** The log's windows are per upstream name and JVM: only this test uses upstream {@code logged-once}. */
  @Test
  void theNodeLogNamesTheTargetAtMostOncePerUpstreamAndInterval() {
    long started = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      assertEquals(502, gw.get("/logged").status());
    }
    long intervals = (System.nanoTime() - started) / UpstreamFailureLog.INTERVAL_NANOS;
    String first = log.lineWith("upstream 'logged-once' target 127.0.0.1:" + dead);
    assertTrue(first.contains("WARNING") && first.contains("ConnectException"), first);
    int lines = log.linesWith("upstream 'logged-once' target").size();
    assertTrue(lines >= 1 && lines <= 1 + intervals, lines + " lines for 6 failures in " + (intervals + 1) + " interval(s)");
  }

  @Test
  void aTargetThatClosesWithoutAnAnswerIsAGenericBadGateway() {
    GatewayFixture.Reply reply = gw.send(HttpMethod.POST, "/closing", Map.of(), "{}");
    assertGeneric(502, "bad_gateway", "upstream 'app' gave no answer", reply);
    assertTrue(logged(1).getString("upstream_error").startsWith("target " + app.address() + ": "), logged(1).encode());
  }

  @Test
  void aSilentTargetIsAGatewayTimeoutNamingOnlyTheUpstream() {
    assertGeneric(504, "upstream_timeout", "no complete answer from upstream 'app' within 2000 ms", gw.get("/silent"));
  }

  @Test
  void aRetried502NamesTheUpstreamNotTheTarget() {
    assertGeneric(502, "bad_gateway", "upstream 'app' answered 502", gw.get("/flaky"));
    assertEquals(app.address(), logged(1).getString("target"));
  }

  @Test
  void aWebSocketUpgradeToAnUnreachableTargetIsAGenericBadGateway() {
    RawHttp.Response reply = gw.raw("GET /dead/ws HTTP/1.1\r\nHost: gw.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertGeneric(502, "bad_gateway", "upstream 'dead' could not be reached", reply.status(), reply.body());
  }

  @Test
  void aComposedPartThatCannotBeReachedIsNamedByPartAndUpstreamOnly() {
    assertGeneric(502, "composition_failed", "part 'gone' of route 'composed' failed: upstream 'dead' could not be reached",
        gw.get("/composed"));
  }
}
