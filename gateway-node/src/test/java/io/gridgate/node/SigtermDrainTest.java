package io.gridgate.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node in its own JVM answers SIGTERM by finishing in-flight requests, refusing new ones, and exiting. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SigtermDrainTest {
  private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

  private final Vertx vertx = Vertx.vertx();
  private Process node;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    vertx.close().await();
  }

  @Test
  void sigtermDrainsTheInFlightRequestThenExits(@TempDir Path dir) throws Exception {
    AtomicInteger received = new AtomicInteger();
    // answers 3 s after the request came: the SIGTERM, sent once it came, lands while it is in flight
    HttpServer slowUpstream = vertx.createHttpServer()
        .requestHandler(req -> {
          received.incrementAndGet();
          vertx.setTimer(3000, t -> req.response().end("slow but complete"));
        })
        .listen(0, "127.0.0.1").await();
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
          drain_timeout: 10s
          cluster: {data_dir: "%s"}
        upstreams:
          slow: {targets: [{address: "127.0.0.1:%d"}]}
        routes:
          - {id: slow, match: {path: {prefix: /}}, upstream: slow}
        """.formatted(dir.resolve("data"), slowUpstream.actualPort()));
    node = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "io.gridgate.GridGate", "--config", config.toString(), "--standalone"))
        .redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    int port = awaitServingPort(output);

    HttpClient client = vertx.createHttpClient();
    CompletableFuture<String> inFlight = client.request(HttpMethod.GET, port, "127.0.0.1", "/work")
        .compose(req -> req.send())
        .compose(HttpClientResponse::body)
        .map(Object::toString)
        .toCompletionStage().toCompletableFuture();
    GatewayFixture.awaitCondition("the request waits on the slow upstream", Duration.ofSeconds(20), () -> received.get() == 1);
    node.destroy(); // SIGTERM

    assertEquals("slow but complete", inFlight.get(10, TimeUnit.SECONDS));
    assertTrue(node.waitFor(20, TimeUnit.SECONDS), "node did not exit after draining");
    assertEquals(143, node.exitValue(), "the JVM's exit status for a SIGTERM it handled (128 + 15)");
    assertTrue(refusesConnections(port), "a drained node must not accept new connections");
  }

  private static int awaitServingPort(BufferedReader output) throws Exception {
    String line;
    while ((line = output.readLine()) != null) {
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("node exited before serving");
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
