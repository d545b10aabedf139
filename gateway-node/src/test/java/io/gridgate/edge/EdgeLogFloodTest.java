package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.logging.LogSetup;
import io.gridgate.logging.RateLimitedLog;
import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client repeating something that logs cannot flood the log: 500 connections refused by the
 * per-client cap (each refusal logs a WARNING) write a bounded number of lines plus summaries that
 * account for the rest, with the limits the node installs on its log handlers.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EdgeLogFloodTest {
  private static final int REFUSALS = 500;
  private static final Pattern SUMMARY = Pattern.compile(" (\\d+) more WARNING records of this logger were suppressed");

  private LogCapture log;
  private GuardedGateway gateway;

  @BeforeEach
  void setUp(Vertx vertx) {
    GatewayFixture fixture = new GatewayFixture(vertx);
    gateway = GuardedGateway.start(fixture, GuardedGateway.apiConfig(GatewayFixture.nodeYaml(
        "limits: {max_connections_per_client: 1}", "client_timeouts: {request_header: 60s}"), fixture.echoUpstream("app")));
    log = LogCapture.onRootLogger();
    RateLimitedLog.install(log, RateLimitedLog.BURST, RateLimitedLog.WINDOW);
  }

  @AfterEach
  void tearDown() {
    log.close();
    gateway.close();
  }

  @Test
  void fiveHundredRefusedConnectionsWriteAFewLinesAndSummariesThatCountTheRest() throws IOException {
    try (Socket holder = gateway.connect()) {
      holder.getOutputStream().write("GET /api/x HTTP/1.1\r\nHost: gw\r\n\r\n".getBytes());
      assertEquals(200, RawHttp.read(holder.getInputStream()).status(), "the one connection the cap allows");
      for (int i = 0; i < REFUSALS; i++) {
        gateway.connect().close();
      }

      Duration bound = RateLimitedLog.WINDOW.multipliedBy(2).plusSeconds(10);
      GatewayFixture.awaitCondition("every refusal written or counted in a summary", bound,
          () -> refusalLines() + suppressed() == REFUSALS);

      assertTrue(refusalLines() >= RateLimitedLog.BURST, "the first " + RateLimitedLog.BURST + " are written");
      assertTrue(refusalLines() + summaries() <= 60, refusalLines() + " lines and " + summaries() + " summaries");
    }
  }

  @Test
  void theNodeRateLimitsEveryRootLogHandler() {
    LogSetup.install();

    Handler[] handlers = Logger.getLogger("").getHandlers();
    assertTrue(handlers.length > 0, "the JVM's default console handler");
    for (Handler handler : handlers) {
      assertNotNull(handler.getFilter(), handler + " has a filter");
    }
  }

  private int refusalLines() {
    return log.linesWith("refused a connection").size();
  }

  private int summaries() {
    return summaryLines().size();
  }

  private int suppressed() {
    int total = 0;
    for (String line : summaryLines()) {
      Matcher summary = SUMMARY.matcher(line);
      if (summary.find()) {
        total += Integer.parseInt(summary.group(1));
      }
    }
    return total;
  }

  private List<String> summaryLines() {
    return log.linesWith("io.gridgate.edge.ListenerGuard").stream().filter(line -> SUMMARY.matcher(line).find()).toList();
  }
}
