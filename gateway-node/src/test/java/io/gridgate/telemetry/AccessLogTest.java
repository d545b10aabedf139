package io.gridgate.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JSON access log: one line per request with every field, sampling, and no secret ever written. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessLogTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private GatewayFixture gw;
  private TestUpstream app;
  private TestUpstream stalled;
  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    gw = new GatewayFixture(Vertx.vertx());
    app = gw.upstream("app", request -> gw.vertx.setTimer(20, t -> request.response().end("hello")));
    stalled = gw.upstream("stalled", request -> { }); // never answers
  }

  @AfterEach
  void tearDown() {
    GatewayFixture.await(gw.vertx.close());
  }

  private Path start(String accessLog) {
    Path file = dir.resolve("logs/access.log");
    gw.startGatewayWithAdmin(GatewayFixture.withApp(app, "access_log: {enabled: true, output: \"" + file + "\", "
        + accessLog + "}") + "  stalled: {targets: [{address: \"" + stalled.address() + "\"}]}\n" + """
        routes:
          - {id: open, match: {path: {prefix: /open}}, upstream: app}
          - {id: keyed, match: {path: {prefix: /keyed}}, upstream: app, auth: {api_key: {header: X-Partner-Key, query: pk}}}
          - {id: stalled, match: {path: {prefix: /stalled}}, upstream: stalled}
        """);
    return file;
  }

  @Test
  void eachRequestIsOneJsonLineWithEveryFieldAndNoSecret() throws IOException {
    Path file = start("headers: [user-agent, authorization, cookie, x-partner-key]");
    JsonObject consumer = new JsonObject().put("groups", new io.vertx.core.json.JsonArray());
    assertEquals(200, gw.admin(HttpMethod.PUT, "/admin/consumers/acme", consumer.encode()).status());
    String key = gw.admin(HttpMethod.POST, "/admin/consumers/acme/keys", null).json().getString("key");

    GatewayFixture.Reply open = gw.send(HttpMethod.GET, "/open/a?access_token=secret-one&page=2&pk=secret-two",
        Map.of("Authorization", "Bearer secret-three", "Cookie", "session=secret-four", "User-Agent", "tester/1.0",
            "X-Request-Id", "req-123", "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01"), null);
    assertEquals(200, open.status());
    GatewayFixture.Reply keyed = gw.send(HttpMethod.POST, "/keyed/b", Map.of("X-Partner-Key", key), "0123456789");
    assertEquals(200, keyed.status());
    assertEquals(401, gw.get("/keyed/c?pk=gg_wrong-secret-five").status());

    List<JsonObject> lines = GatewayFixture.awaitJsonLines(file, 3);
    assertEquals(3, lines.size());
    JsonObject first = lines.get(0);
    assertTrue(Instant.parse(first.getString("time")).isAfter(Instant.now().minusSeconds(60)));
    assertEquals("standalone", first.getString("node"));
    assertEquals("req-123", first.getString("request_id"));
    assertEquals(TRACE_ID, first.getString("trace_id"), "the client's trace goes on");
    assertEquals("127.0.0.1", first.getString("client"));
    assertEquals("GET", first.getString("method"));
    assertEquals("/open/a", first.getString("path"));
    assertEquals("access_token=[REDACTED]&page=2&pk=[REDACTED]", first.getString("query"));
    assertEquals(200, first.getInteger("status"));
    assertEquals("open", first.getString("route"));
    assertEquals("app", first.getString("upstream"));
    assertEquals(app.address(), first.getString("target"));
    assertTrue(first.getDouble("upstream_ms") >= 20, first.encode());
    assertEquals(first.getDouble("duration_ms"), first.getDouble("gateway_ms") + first.getDouble("upstream_ms"), 0.0011);
    assertEquals(0, first.getLong("bytes_in"));
    assertEquals(5, first.getLong("bytes_out"));
    assertEquals("tester/1.0", first.getJsonObject("headers").getString("user-agent"));
    assertEquals("[REDACTED]", first.getJsonObject("headers").getString("authorization"));
    assertEquals("[REDACTED]", first.getJsonObject("headers").getString("cookie"));

    JsonObject second = lines.get(1);
    assertEquals("acme", second.getString("consumer"));
    assertEquals(10, second.getLong("bytes_in"));
    assertEquals("[REDACTED]", second.getJsonObject("headers").getString("x-partner-key"),
        "the route's API-key header is a credential too");
    assertEquals(32, second.getString("trace_id").length(), "a trace is started when the client sent none");

    JsonObject refused = lines.get(2);
    assertEquals(401, refused.getInteger("status"));
    assertEquals("pk=[REDACTED]", refused.getString("query"), "the route's API-key parameter is redacted");
    assertTrue(refused.getValue("target") == null && refused.getDouble("upstream_ms") == 0.0);

    String text = Files.readString(file);
    for (String secret : List.of("secret-one", "secret-two", "secret-three", "secret-four", "secret-five", key)) {
      assertFalse(text.contains(secret), secret + " was written");
    }
  }

  @Test
  void aClientThatLeavesBeforeTheAnswerIsWrittenAs499() throws IOException {
    Path file = start("sample_ratio: 1.0");
    try (Socket client = RawHttp.send(gw.port(), "GET /stalled/x HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
      GatewayFixture.awaitCondition("the request reached the upstream", GatewayFixture.WAIT, () -> stalled.requests() > 0);
    }
    List<JsonObject> lines = GatewayFixture.awaitJsonLines(file, 1);
    assertEquals(499, lines.get(0).getInteger("status"), lines.get(0).encode());
    assertEquals("stalled", lines.get(0).getString("route"));
  }

  @Test
  void successesAreSampledAndErrorsAlwaysWritten() {
    Path file = start("sample_ratio: 0.5");
    for (int i = 0; i < 200; i++) {
      assertEquals(200, gw.get("/open/" + i).status());
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(404, gw.get("/none/" + i).status());
    }
    // the 404s were the last requests: once they are all written, so is every sampled success before them
    GatewayFixture.awaitCondition("the 20 errors written", GatewayFixture.WAIT,
        () -> GatewayFixture.jsonLines(file).stream().filter(line -> line.getInteger("status") == 404).count() >= 20);
    List<JsonObject> lines = GatewayFixture.jsonLines(file);
    long errors = lines.stream().filter(line -> line.getInteger("status") == 404).count();
    long successes = lines.size() - errors;
    assertEquals(20, errors, "every error is written");
    assertTrue(successes > 55 && successes < 145, successes + " of 200 successes written at ratio 0.5");
  }
}
