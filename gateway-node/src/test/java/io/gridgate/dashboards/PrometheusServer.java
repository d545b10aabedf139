package io.gridgate.dashboards;

import io.gridgate.testing.FreePorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus (the Debian package's binary) on a free loopback port with its own storage,
 * scraping the given {@code host:port} targets' {@code /metrics} every second as job
 * {@code gridgate}, and answering instant queries.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /** Starts {@code binary} in {@code dir} and waits until it is ready (at most 30 s). */
  public static PrometheusServer start(Path binary, Path dir, List<String> targets) throws Exception {
    int port = FreePorts.belowEphemeralRange(1)[0];
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global: {scrape_interval: 1s, evaluation_interval: 1s}
        scrape_configs:
          - job_name: gridgate
            metrics_path: /metrics
            static_configs:
              - targets: [%s]
        """.formatted(targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))));
    Path log = dir.resolve("prometheus.log");
    Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, log, port);
    server.awaitReady();
    return server;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(log));
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("prometheus not ready within 30 s: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  /**
   * Waits (at most 20 s) until the last scrape of each of {@code targets} targets succeeded; a
   * scrape can miss its one-second timeout on a busy machine.
   */
  public void awaitTargetsUp(int targets) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (query("up == 1").size() < targets) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not every target up within 20 s: " + query("up").encode());
      }
      Thread.sleep(200);
    }
  }

  /** The result vector of an instant query; IllegalStateException with Prometheus' error when it refuses it. */
  public JsonArray query(String promql) throws Exception {
    HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject body = new JsonObject(response.body());
    if (!"success".equals(body.getString("status"))) {
      throw new IllegalStateException(body.getString("error") + " in: " + promql);
    }
    return body.getJsonObject("data").getJsonArray("result");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
