package io.gridgate.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.gridgate.testing.NodeProcesses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not part of the test suite (the class name keeps surefire from picking it up): config
 * pushes across 3 gateway node JVMs on loopback ({@link NodeProcesses}). Each push goes to the next
 * node in turn and changes a response header of route {@code /bench}; once it is answered, every
 * node must serve the new header (an ack means applied). Reports p50/p99/max of the push's answer
 * time and of "applied on every node" (the latest {@code applied_at} of the members' acks; the
 * nodes share this machine's clock), and where the time went (the push answer's phases, the
 * slowest member's apply time, the grid calls of the config commit from every node's
 * {@code /metrics}), after {@code -Dwarmup=20} pushes, over at most {@code -Dpushes=200} pushes
 * and {@code -Dmax.seconds=300}. Node JVM options: {@code -Dnode.jvm="..."} (added to
 * NodeProcesses' own); {@code -Dreport.file=...} also appends the report there. Run with
 * bench/push-propagation.sh.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class PushPropagationProcessBenchmark {
  private static final String HEADER = "X-Bench-Push";
  private static final List<String> GRID_OPS = List.of("config_head_read", "config_claim", "config_head_advance");
  private static final Pattern GRID_METRIC = Pattern.compile(
      "^gridgate_grid_operation_duration_seconds_(sum|count)\\{[^}]*operation=\"([a-z_]+)\"[^}]*outcome=\"ok\"[^}]*} (\\S+)$",
      Pattern.MULTILINE);

  @TempDir
  Path dir;

  @Test
  void pushesAcrossThreeNodeProcesses() throws Exception {
    int warmup = Integer.getInteger("warmup", 20);
    int pushes = Integer.getInteger("pushes", 200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("max.seconds", 300));
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    upstream.start();
    int upstreamPort = upstream.getAddress().getPort();
    String jvm = System.getProperty("node.jvm", "").trim();
    try (NodeProcesses nodes = new NodeProcesses(dir, 3, "push-bench")
        .document(document(upstreamPort, 0))
        .jvmArgs(jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+")))) {
      nodes.withNodeOutput(() -> {
        nodes.startAll();
        long base = nodes.node(0).configVersion();
        Samples samples = new Samples();
        Map<String, double[]> gridBefore = Map.of();
        int measured = 0;
        for (int i = 1; i <= warmup + pushes && System.nanoTime() < deadline; i++) {
          if (i == warmup + 1) {
            gridBefore = gridCalls(nodes);
          }
          PushOutcome outcome = push(nodes, (i - 1) % 3, base, document(upstreamPort, i), i);
          base = outcome.version;
          if (i > warmup) {
            samples.add(outcome);
            measured++;
          }
        }
        report(nodes, samples, measured, gridBefore, gridCalls(nodes));
      });
    } finally {
      upstream.stop(0);
    }
  }

  /**
   * The shared document of push {@code marker}: route /bench answers with {@code X-Bench-Push: marker};
   * {@code -Droutes=N} adds N more routes (a bigger document to send and compile).
   */
  private static String document(int upstreamPort, int marker) {
    StringBuilder document = new StringBuilder("""
        upstreams:
          app: {targets: [{address: "127.0.0.1:%d"}]}
        routes:
          - {id: bench, match: {path: {prefix: /bench}}, upstream: app, response_headers: {set: {%s: "%d"}}}
        """.formatted(upstreamPort, HEADER, marker));
    for (int i = 0; i < Integer.getInteger("routes", 0); i++) {
      document.append("  - {id: r%d, match: {path: {prefix: /r%d/}, methods: [GET]}, upstream: app, ".formatted(i, i))
          .append("request_headers: {set: {X-Route: r%d}}, timeouts: {total: 10s}}\n".formatted(i));
    }
    return document.toString();
  }

  private record PushOutcome(long version, double answerMs, double appliedEverywhereMs, JsonObject answer, String pusher) {}

  private PushOutcome push(NodeProcesses nodes, int pusher, long base, String document, int marker) throws Exception {
    Instant sent = Instant.now();
    long start = System.nanoTime();
    HttpResponse<String> answer = nodes.admin(pusher, "PUT", "/admin/config?base_version=" + base, document);
    double answerMs = (System.nanoTime() - start) / 1e6;
    assertEquals(200, answer.statusCode(), answer.body());
    JsonObject json = new JsonObject(answer.body());
    assertEquals(0, json.getJsonArray("lagging").size(), answer.body());
    for (int node = 0; node < nodes.size(); node++) {
      assertEquals(Integer.toString(marker), nodes.get(node, "/bench").headers().firstValue(HEADER).orElse(null),
          "an ack means applied: node " + node + " serves the pushed version");
    }
    Instant lastApplied = sent;
    JsonArray members = json.getJsonArray("members");
    for (int i = 0; i < members.size() && lastApplied != null; i++) {
      String at = members.getJsonObject(i).getString("applied_at"); // absent in builds before push timings
      Instant applied = at == null ? null : Instant.parse(at);
      lastApplied = applied == null ? null : applied.isAfter(lastApplied) ? applied : lastApplied;
    }
    return new PushOutcome(json.getLong("version"), answerMs,
        lastApplied == null ? -1 : Duration.between(sent, lastApplied).toNanos() / 1e6, json, nodes.node(pusher).memberId());
  }

  /** Per grid operation of the config commit: {total seconds, calls} summed over the nodes' /metrics. */
  private Map<String, double[]> gridCalls(NodeProcesses nodes) throws Exception {
    Map<String, double[]> totals = new LinkedHashMap<>();
    for (int node = 0; node < nodes.size(); node++) {
      Matcher m = GRID_METRIC.matcher(nodes.admin(node, "GET", "/metrics", null).body());
      while (m.find()) {
        if (GRID_OPS.contains(m.group(2))) {
          totals.computeIfAbsent(m.group(2), k -> new double[2])[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
      }
    }
    return totals;
  }

  /** The figures of every measured push, by name. */
  private static final class Samples {
    final Map<String, List<Double>> byName = new LinkedHashMap<>();

    void add(PushOutcome outcome) {
      put("push answered", outcome.answerMs);
      if (outcome.appliedEverywhereMs >= 0) {
        put("applied on every node", outcome.appliedEverywhereMs);
      }
      JsonObject timings = outcome.answer.getJsonObject("timings", new JsonObject());
      double phases = 0;
      for (String phase : timings.fieldNames()) {
        put("pusher: " + phase, timings.getDouble(phase));
        phases += timings.getDouble(phase);
      }
      if (!timings.isEmpty()) {
        put("answer minus the pusher's phases (admin HTTP, hops)", outcome.answerMs - phases);
      }
      JsonArray members = outcome.answer.getJsonArray("members");
      double slowest = -1;
      for (int i = 0; i < members.size(); i++) {
        JsonObject ack = members.getJsonObject(i);
        double applyMs = ack.getDouble("apply_ms", -1.0);
        if (outcome.pusher.equals(ack.getString("member"))) {
          put("pusher's own apply_ms", applyMs);
        } else {
          slowest = Math.max(slowest, applyMs);
        }
      }
      if (slowest >= 0) {
        put("slowest other member's apply_ms", slowest);
      }
    }

    private void put(String name, double millis) {
      byName.computeIfAbsent(name, k -> new ArrayList<>()).add(millis);
    }
  }

  private static void report(NodeProcesses nodes, Samples samples, int measured, Map<String, double[]> before,
                             Map<String, double[]> after) throws IOException {
    StringBuilder out = new StringBuilder("\n### push propagation across 3 node processes: ").append(measured)
        .append(" pushes of a document of ").append(1 + Integer.getInteger("routes", 0)).append(" routes\n\n| figure | p50 ms | p90 ms | p99 ms | max ms | mean ms |\n|---|---|---|---|---|---|\n");
    samples.byName.forEach((name, values) -> {
      List<Double> sorted = values.stream().sorted().toList();
      out.append(String.format("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n", name, pct(sorted, 50), pct(sorted, 90),
          pct(sorted, 99), sorted.get(sorted.size() - 1), sorted.stream().mapToDouble(d -> d).average().orElse(0)));
    });
    out.append("\n| grid call of the commit (all pushers) | calls | mean ms |\n|---|---|---|\n");
    after.forEach((op, total) -> {
      double[] was = before.getOrDefault(op, new double[2]);
      double calls = total[1] - was[1];
      out.append(String.format("| %s | %.0f | %.2f |%n", op, calls, calls == 0 ? 0 : (total[0] - was[0]) * 1000 / calls));
    });
    System.out.println(out);
    String file = System.getProperty("report.file", "");
    if (!file.isEmpty()) {
      Files.writeString(Path.of(file), out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    nodes.log("benchmark done");
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
