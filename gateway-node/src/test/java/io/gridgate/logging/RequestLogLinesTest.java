package io.gridgate.logging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.TestTokens;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Log lines name the request being served: a line logged on a request's path (here: a JWKS that
 * cannot be fetched) carries that request's X-Request-Id and trace id; a line logged outside any
 * request carries {@code -} for both.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestLogLinesTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final Pattern LINE = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z (\\w+) ([\\w.$]+) \\[([^]]+)] request_id=(\\S+) trace_id=(\\S+) (.*)\\R");
  private GatewayFixture gw;

  @BeforeEach
  void setUp(Vertx vertx) {
    gw = new GatewayFixture(vertx);
    TestUpstream app = gw.echoUpstream("app");
    gw.startGateway(GatewayFixture.withApp(app) + """
        jwt_issuers:
          idp: {issuer: "https://idp.test", algorithms: [RS256], jwks_url: "http://127.0.0.1:%d/jwks"}
        routes:
          - {id: secure, match: {path: {prefix: /}}, upstream: app, auth: {jwt: {issuers: [idp]}}}
        """.formatted(GatewayFixture.deadPort()));
  }

  private void callWithUnfetchableKeys(Map<String, String> headers) {
    String token = TestTokens.sign("RS256", TestTokens.rsa().getPrivate(), "k1",
        TestTokens.claims("https://idp.test", "carol", null));
    Map<String, String> all = new HashMap<>(headers);
    all.put("Authorization", "Bearer " + token);
    gw.send(HttpMethod.GET, "/x", all, null);
  }

  @Test
  void aLineLoggedWhileServingCarriesTheRequestIdAndTheTraceId() {
    try (LogCapture logs = LogCapture.onRootLogger()) {
      callWithUnfetchableKeys(Map.of("X-Request-Id", "req-log-1",
          "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

      String line = logs.lineWith("JWKS of issuer idp could not be fetched");
      assertTrue(LINE.matcher(line).matches(), line);
      assertTrue(line.contains(" WARNING io.gridgate.security.auth.IssuerKeys [vert.x-eventloop-thread-"), line);
      assertTrue(line.contains(" request_id=req-log-1 trace_id=" + TRACE_ID + " JWKS of issuer idp"), line);
    }
  }

  @Test
  void aTraceStartedByTheGatewayIsNamedToo() {
    try (LogCapture logs = LogCapture.onRootLogger()) {
      callWithUnfetchableKeys(Map.of());

      String line = logs.lineWith("JWKS of issuer idp could not be fetched");
      assertTrue(Pattern.compile(".* request_id=[0-9a-f]{32} trace_id=[0-9a-f]{32} JWKS .*\\R").matcher(line).matches(), line);
    }
  }

  @Test
  void aLineLoggedOutsideAnyRequestNamesNone(Vertx vertx) {
    try (LogCapture logs = LogCapture.onRootLogger()) {
      Logger.getLogger("io.gridgate.test").info("from a test thread");
      // an event-loop context is shared by many requests: it never takes ids
      Promise<Void> logged = Promise.promise();
      vertx.runOnContext(v -> {
        LogContext.enter("leaked", "leaked");
        Logger.getLogger("io.gridgate.test").info("from an event loop");
        logged.complete();
      });
      GatewayFixture.await(logged.future());

      assertTrue(logs.lineWith("from a test thread").contains(" request_id=- trace_id=- from a test thread"));
      assertTrue(logs.lineWith("from an event loop").contains(" request_id=- trace_id=- from an event loop"));
    }
  }
}
