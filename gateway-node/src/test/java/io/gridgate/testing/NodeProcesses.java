package io.gridgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gateway node JVMs on loopback forming one Hazelcast cluster of their own (a unique cluster name,
 * TCP-IP join on 127.0.0.1 with fixed member and event bus ports, multicast and phone-home off). Each node runs
 * {@code io.gridgate.GridGate --config} on a file written from the shared document, with its own
 * data_dir that survives restarts of the node. Nodes can be started, stopped (SIGTERM), killed
 * (SIGKILL), paused (SIGSTOP) and resumed (SIGCONT); {@link #close} kills whatever still runs.
 */
public final class NodeProcesses implements AutoCloseable {
  public static final String ADMIN_TOKEN = "process-test-admin-token";
  private static final Pattern SERVING = Pattern.compile(
      "GridGate node serving on http://127\\.0\\.0\\.1:(\\d+) \\(admin http://127\\.0\\.0\\.1:(\\d+), config version (\\d+), "
          + "member (\\S+) of cluster '([^']*)'\\)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(100);
  private static final int TAIL_LINES = 120;

  private final Path dir;
  private final String clusterName = "gridgate-proc-" + UUID.randomUUID();
  private final int[] httpPorts;
  private final int[] adminPorts;
  private final int[] memberPorts;
  private final int[] eventBusPorts;
  private final NodeProcess[] nodes;
  private final List<String>[] memberOverrides;
  private final String[] hazelcastFiles;
  private final List<NodeProcess> started = new ArrayList<>();
  private final long createdAt = System.nanoTime();
  private final String logName;
  private String document = "";
  private String nodeExtra = "";
  private String clusterExtra = "";
  private List<String> jvmArgs = List.of();
  private final Map<String, String> environment = new HashMap<>();
  private HttpClient http = newHttpClient();

  /** {@code size} nodes whose files and data directories live under {@code dir}. */
  @SuppressWarnings("unchecked")
  public NodeProcesses(Path dir, int size, String logName) throws IOException {
    this.dir = dir;
    this.logName = logName;
    int[] ports = FreePorts.belowEphemeralRange(4 * size);
    httpPorts = Arrays.copyOfRange(ports, 0, size);
    adminPorts = Arrays.copyOfRange(ports, size, 2 * size);
    memberPorts = Arrays.copyOfRange(ports, 2 * size, 3 * size);
    eventBusPorts = Arrays.copyOfRange(ports, 3 * size, 4 * size);
    nodes = new NodeProcess[size];
    memberOverrides = new List[size];
    hazelcastFiles = new String[size];
  }

  /** The upstreams/routes part of every node's file, written at each (re)start. */
  public NodeProcesses document(String sharedDocument) {
    this.document = sharedDocument;
    return this;
  }

  /** Extra YAML lines under {@code node:} (indented by two spaces) for every node, written at each (re)start. */
  public NodeProcesses nodeSettings(String linesUnderNode) {
    this.nodeExtra = linesUnderNode;
    return this;
  }

  /** Extra YAML lines under {@code node.cluster:} (indented by four spaces) for every node, written at each (re)start. */
  public NodeProcesses clusterSettings(String linesUnderCluster) {
    this.clusterExtra = linesUnderCluster;
    return this;
  }

  /** Extra JVM options for every node started from now on. */
  public NodeProcesses jvmArgs(List<String> args) {
    this.jvmArgs = List.copyOf(args);
    return this;
  }

  /** An environment variable of every node started from now on (e.g. for {@code ${env:NAME}} references). */
  public NodeProcesses environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Node {@code i} joins through {@code members} (e.g. relays a test can cut) instead of the member ports. */
  public NodeProcesses members(int i, List<String> members) {
    memberOverrides[i] = List.copyOf(members);
    return this;
  }

  /**
   * Node {@code i} builds its Hazelcast member from {@code yaml} (node.cluster.hazelcast_config,
   * written next to its file at each start) instead of the cluster section's port and members.
   */
  public NodeProcesses hazelcastConfig(int i, String yaml) {
    hazelcastFiles[i] = yaml;
    return this;
  }

  /** Every port the nodes listen on (http, admin, member, event bus), chosen free but not held. */
  public Set<Integer> ports() {
    Set<Integer> all = new HashSet<>();
    for (int[] kind : List.of(httpPorts, adminPorts, memberPorts, eventBusPorts)) {
      Arrays.stream(kind).forEach(all::add);
    }
    return all;
  }

  public int size() {
    return nodes.length;
  }

  public String clusterName() {
    return clusterName;
  }

  public int httpPort(int i) {
    return httpPorts[i];
  }

  public int adminPort(int i) {
    return adminPorts[i];
  }

  public int memberPort(int i) {
    return memberPorts[i];
  }

  public int eventBusPort(int i) {
    return eventBusPorts[i];
  }

  /** Node {@code i}'s data_dir (kept across its restarts). */
  public Path dataDir(int i) {
    return nodeDir(i).resolve("data");
  }

  /** Node {@code i}'s configuration file (written at each start). */
  public Path configFile(int i) {
    return nodeDir(i).resolve("gateway.yaml");
  }

  /** The current (or last) process of node {@code i}. */
  public NodeProcess node(int i) {
    return nodes[i];
  }

  // ---- lifecycle ----

  /** Starts every node at the same moment, then waits until each serves. */
  public void startAll() throws Exception {
    for (int i = 0; i < nodes.length; i++) {
      start(i);
    }
    for (int i = 0; i < nodes.length; i++) {
      awaitServing(i);
    }
  }

  /** Writes node {@code i}'s file and starts its JVM (does not wait for it to serve). */
  public NodeProcess start(int i) throws IOException {
    Files.createDirectories(nodeDir(i));
    Files.writeString(configFile(i), nodeFile(i));
    if (hazelcastFiles[i] != null) {
      Files.writeString(hazelcastFile(i), hazelcastFiles[i]);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true",
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2",
        "-Dhazelcast.phone.home.enabled=false"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.gridgate.GridGate", "--config",
        configFile(i).toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir(i).toFile());
    builder.environment().put("GRIDGATE_ADMIN_TOKEN", ADMIN_TOKEN);
    builder.environment().putAll(environment);
    long incarnation = started.stream().filter(n -> n.name.startsWith(name(i) + "#")).count() + 1;
    NodeProcess node = new NodeProcess(name(i) + "#" + incarnation, builder.start());
    nodes[i] = node;
    started.add(node);
    return node;
  }

  /** Waits until node {@code i} prints its serving line; checks its ports and cluster. */
  public NodeProcess awaitServing(int i) throws Exception {
    NodeProcess node = nodes[i];
    Matcher m;
    try {
      m = node.serving.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("node " + node.name + " did not serve within " + START_TIMEOUT);
    } catch (ExecutionException e) {
      throw new AssertionError("node " + node.name + " exited before serving"
          + (node.process.isAlive() ? "" : " (exit status " + node.process.exitValue() + ")"));
    }
    assertEquals(httpPorts[i], Integer.parseInt(m.group(1)), "http port of " + node.name);
    assertEquals(adminPorts[i], Integer.parseInt(m.group(2)), "admin port of " + node.name);
    assertEquals(clusterName, m.group(5), "cluster of " + node.name);
    node.configVersion = Long.parseLong(m.group(3));
    node.memberId = m.group(4);
    log(node.name + " serving (member " + node.memberId + ", version " + node.configVersion + ")");
    return node;
  }

  /** Deletes every node's data_dir (the nodes must not run): the next start is a first start. */
  public void clearDataDirs() throws IOException {
    for (int i = 0; i < nodes.length; i++) {
      if (Files.exists(dataDir(i))) {
        try (var files = Files.walk(dataDir(i))) {
          for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
      }
    }
  }

  /** SIGTERM to node {@code i}; it drains, leaves and exits with 143. */
  public void stop(int i) throws Exception {
    nodes[i].process.toHandle().destroy();
    awaitStopped(i);
  }

  /**
   * SIGTERM to every node at once; each drains, leaves and exits with 143. The signal goes through
   * the ProcessHandle: Process.destroy() would also close our end of the node's output pipe, and
   * with it what the node prints while it stops.
   */
  public void stopAll() throws Exception {
    for (NodeProcess node : nodes) {
      node.process.toHandle().destroy();
    }
    for (int i = 0; i < nodes.length; i++) {
      awaitStopped(i);
    }
  }

  private void awaitStopped(int i) throws Exception {
    NodeProcess node = nodes[i];
    assertTrue(node.process.waitFor(30, TimeUnit.SECONDS), "node " + node.name + " did not exit after SIGTERM");
    assertEquals(143, node.process.exitValue(), "exit status of " + node.name + " after SIGTERM");
    node.ended.get(10, TimeUnit.SECONDS);
    assertTrue(node.tail().contains("GridGate node stopped."), "node " + node.name + " did not finish its drain");
    http = newHttpClient(); // no pooled connections to stopped nodes
    log(node.name + " stopped");
  }

  /** SIGKILL to node {@code i} (a power loss for that node); waits until it is gone. */
  public void kill(int i) throws Exception {
    nodes[i].process.destroyForcibly();
    assertTrue(nodes[i].process.waitFor(15, TimeUnit.SECONDS), "node " + nodes[i].name + " did not die on SIGKILL");
    http = newHttpClient();
    log(nodes[i].name + " killed");
  }

  /** SIGKILL to every node at once. */
  public void killAll() throws Exception {
    for (NodeProcess node : nodes) {
      node.process.destroyForcibly();
    }
    for (int i = 0; i < nodes.length; i++) {
      assertTrue(nodes[i].process.waitFor(15, TimeUnit.SECONDS), "node " + nodes[i].name + " did not die on SIGKILL");
    }
    http = newHttpClient();
    log("all nodes killed");
  }

  /** SIGSTOP: node {@code i} is frozen (no thread runs, its sockets stay open). */
  public void pause(int i) throws Exception {
    signal(i, "STOP");
    log(nodes[i].name + " paused");
  }

  /** SIGCONT: a paused node {@code i} runs again. */
  public void resume(int i) throws Exception {
    signal(i, "CONT");
    log(nodes[i].name + " resumed");
  }

  private void signal(int i, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(nodes[i].process.pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + nodes[i].name);
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : started) {
      if (node.process.isAlive()) {
        signalQuietly(node, "CONT"); // a paused JVM does not die on SIGKILL before it is continued on some kernels
        node.process.destroyForcibly();
      }
    }
    for (NodeProcess node : started) {
      node.process.waitFor(15, TimeUnit.SECONDS);
    }
  }

  private static void signalQuietly(NodeProcess node, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException ignored) {
      // best effort: the process is killed next
    }
  }

  // ---- HTTP ----

  /** A request to node {@code i}'s admin API with the admin token; {@code body} null sends none. */
  public HttpResponse<String> admin(int i, String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPorts[i] + path))
        .timeout(Duration.ofSeconds(90))
        .header("Authorization", "Bearer " + ADMIN_TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A GET to node {@code i}'s client listener with {@code headers} (name, value, name, value...). */
  public HttpResponse<String> get(int i, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) { // a pooled connection to an earlier incarnation of the node: once more
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * Polls {@code probe} every 100 ms until it answers true, for at most {@code timeout}; fails
   * with {@code what} and the probe's last exception. Answers how long it took.
   */
  public static Duration await(Duration timeout, String what, Callable<Boolean> probe) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(probe.call())) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within " + timeout + ": " + what + (last == null ? "" : " (last: " + last + ")"));
  }

  // ---- output ----

  /** A test body that may throw. */
  public interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body}; a failure carries the last output lines of every node started. */
  public void withNodeOutput(Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      throw new AssertionError(t.getMessage() + "\n" + tails(), t);
    }
  }

  /** The last output lines of every node started, each under a header. */
  public String tails() {
    StringBuilder out = new StringBuilder();
    for (NodeProcess node : started) {
      out.append("---- last output of node ").append(node.name)
          .append(node.process.isAlive() ? " (alive)" : " (exited " + node.process.exitValue() + ")")
          .append(" ----\n").append(node.tail()).append('\n');
    }
    return out.toString();
  }

  /** A progress line on the test's output, with the seconds since this fixture was made. */
  public void log(String message) {
    System.out.printf("[%s +%5.1fs] %s%n", logName, (System.nanoTime() - createdAt) / 1e9, message);
  }

  // ---- files ----

  private Path nodeDir(int i) {
    return dir.resolve("node-" + name(i));
  }

  private Path hazelcastFile(int i) {
    return nodeDir(i).resolve("hazelcast.yaml");
  }

  private static String name(int i) {
    return String.valueOf((char) ('A' + i));
  }

  private String nodeFile(int i) {
    List<String> members = memberOverrides[i] != null ? memberOverrides[i]
        : Arrays.stream(memberPorts).mapToObj(p -> "127.0.0.1:" + p).toList();
    String memberList = members.stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", ", "[", "]"));
    return """
        node:
          http: {host: 127.0.0.1, port: %d}
          admin: {host: 127.0.0.1, port: %d}
          event_loops: 1
          drain_timeout: 2s
          cluster:
            name: %s
            port: %d
            port_auto_increment: false
            members: %s
            expected_size: %d
            data_dir: "%s"
            event_bus: {port: %d}
        %s""".formatted(httpPorts[i], adminPorts[i], clusterName, memberPorts[i], memberList, nodes.length, dataDir(i),
            eventBusPorts[i], hazelcastFiles[i] == null ? "" : "    hazelcast_config: \"" + hazelcastFile(i) + "\"\n")
        + clusterExtra + nodeExtra + document;
  }

  private static HttpClient newHttpClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  }

  /**
   * One node JVM. Its stdout and stderr are read on background threads (so the pipes never fill)
   * and the last lines of both are kept. They are not merged into one pipe: the node's log lines
   * (stderr) could then split its "serving" line (stdout).
   */
  public static final class NodeProcess {
    final String name;
    final Process process;
    final CompletableFuture<Matcher> serving = new CompletableFuture<>();
    final CompletableFuture<Void> ended;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> allLines = new ArrayList<>();
    volatile long configVersion;
    volatile String memberId;

    NodeProcess(String name, Process process) {
      this.name = name;
      this.process = process;
      CompletableFuture<Void> out = new CompletableFuture<>();
      CompletableFuture<Void> err = new CompletableFuture<>();
      ended = CompletableFuture.allOf(out, err);
      startReader("out", process.getInputStream(), true, out);
      startReader("err", process.getErrorStream(), false, err);
    }

    public String name() {
      return name;
    }

    public Process process() {
      return process;
    }

    /** The config version the node announced when it started serving. */
    public long configVersion() {
      return configVersion;
    }

    /** The member id the node announced when it started serving. */
    public String memberId() {
      return memberId;
    }

    /** True once the node printed its serving line; false when its output ended without it. */
    public CompletableFuture<Matcher> serving() {
      return serving;
    }

    /** Completes when both output streams have ended (the process is gone). */
    public CompletableFuture<Void> ended() {
      return ended;
    }

    private void startReader(String stream, InputStream input, boolean stdout, CompletableFuture<Void> done) {
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (tail) {
              tail.addLast(line);
              allLines.add(line);
              if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
              }
            }
            Matcher m = SERVING.matcher(line);
            if (stdout && !serving.isDone() && m.find()) {
              serving.complete(m);
            }
          }
        } catch (IOException ignored) {
          // the process is gone
        }
        if (stdout) {
          serving.completeExceptionally(new IllegalStateException("output ended"));
        }
        done.complete(null);
      }, "node-" + stream + "-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    /** The last output lines of both streams. */
    public String tail() {
      synchronized (tail) {
        return String.join("\n", tail);
      }
    }

    /** Every output line so far that contains {@code text}. */
    public List<String> linesContaining(String text) {
      synchronized (tail) {
        return allLines.stream().filter(l -> l.contains(text)).toList();
      }
    }
  }
}
