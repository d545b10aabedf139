package io.gridgate;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.InvalidConfigException;
import io.gridgate.config.NodeSettings;
import io.gridgate.cluster.ClusterJoin;
import io.gridgate.cluster.Membership;
import io.gridgate.demo.DemoUpstreams;
import io.gridgate.edge.EdgeVertx;
import io.gridgate.logging.LogSetup;
import io.gridgate.admin.AdminToken;
import io.gridgate.cli.CommandLine;
import io.gridgate.node.GatewayNode;
import io.gridgate.telemetry.NodeMetrics;
import io.gridgate.cli.PushCommand;
import io.gridgate.tracing.NodeTracing;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The node jar's entry point: {@code run} (default), {@code validate}, {@code push} and {@code demo-upstreams}. */
public final class GridGate {
  private GridGate() {}

  public static void main(String[] argv) throws Exception {
    List<String> args = Arrays.asList(argv);
    String command = args.isEmpty() || args.get(0).startsWith("--") ? "run" : args.get(0);
    List<String> rest = args.isEmpty() || args.get(0).startsWith("--") ? args : args.subList(1, args.size());
    switch (command) {
      case "run" -> run(rest);
      case "validate" -> validate(rest);
      case "push" -> System.exit(PushCommand.run(rest, System.getenv(), System.out, System.err));
      case "demo-upstreams" -> DemoUpstreams.main(rest);
      default -> exit(2, "unknown command '" + command + "'\n" + CommandLine.USAGE);
    }
  }

  private static void run(List<String> args) throws Exception {
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      exit(2, e.getMessage() + "\n" + CommandLine.USAGE);
      return;
    }
    GatewayConfig config = load(cli.config());
    NodeSettings node = config.node();
    if (cli.httpPort() != null) {
      node = node.withHttpPort(cli.httpPort());
    }
    if (cli.adminPort() != null) {
      node = node.withAdminPort(cli.adminPort());
    }
    if (cli.eventBusPort() != null) {
      node = node.withCluster(node.cluster().withEventBus(node.cluster().eventBus().withPort(cli.eventBusPort())));
    }
    config = config.withNode(node);
    LogSetup.install();
    NodeTracing tracing = NodeTracing.start(node.tracing());
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(node.eventLoops()).setPreferNativeTransport(true)
        .setMetricsOptions(NodeMetrics.options());
    ClusterJoin.Joined joined;
    try {
      joined = cli.standalone()
          ? new ClusterJoin.Joined(tracing.configure(EdgeVertx.builder(options)).build(), Membership.standalone())
          : await(ClusterJoin.join(options, tracing, node.cluster(), baseDir(cli.config()), NodeMetrics::gridCallMetrics));
    } catch (Exception e) {
      // e.g. the event bus port is taken after Hazelcast joined: its threads would keep the JVM alive
      System.err.println("GridGate node failed to start: " + (e.getCause() != null ? e.getCause() : e));
      tracing.close();
      System.exit(1);
      return;
    }
    GatewayNode gateway;
    try {
      AdminToken token = AdminToken.resolve(System.getenv(AdminToken.ENV), null,
          node.cluster().dataDir().resolve("admin-token"));
      gateway = await(GatewayNode.start(joined.vertx(), config, joined.membership(), token,
          node.cluster().dataDir().resolve("config-snapshot-" + node.http().port() + ".json")));
    } catch (Exception e) {
      // e.g. the HTTP or admin port is taken. Vert.x and Hazelcast threads would keep the JVM alive as a
      // cluster member that acks pushes but serves nothing: leave the cluster and exit instead.
      System.err.println("GridGate node failed to start: " + (e.getCause() != null ? e.getCause() : e));
      try {
        joined.vertx().close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception closeFailure) {
        System.err.println("GridGate node did not leave cleanly: " + closeFailure);
      }
      tracing.close();
      System.exit(1);
      return;
    }
    System.out.printf("GridGate node serving on http://%s:%d (admin http://%s:%d, config version %d, %s)%n",
        node.http().host(), gateway.httpPort(), node.admin().host(), gateway.adminPort(),
        gateway.configService().appliedVersion(),
        cli.standalone() ? "standalone" : "member " + joined.membership().memberId() + " of cluster '" + node.cluster().name() + "'");
    if (gateway.fileDifference() != null) {
      System.out.println("WARNING: " + gateway.fileDifference());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("GridGate node draining in-flight requests...");
      try {
        gateway.drainAndStop().toCompletionStage().toCompletableFuture()
            .get(gateway.state().node().drainTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        System.out.println("GridGate node stopped.");
      } catch (Exception e) {
        System.err.println("GridGate node did not stop cleanly: " + e);
      }
      tracing.close(); // the last spans go out after the drain
    }, "gridgate-drain"));
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static Path baseDir(Path configFile) {
    Path parent = configFile.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private static void validate(List<String> args) {
    if (args.size() != 1) {
      exit(2, CommandLine.USAGE);
    }
    GatewayConfig config = load(Path.of(args.get(0)));
    System.out.printf("%s is valid: %d upstreams, %d routes%n", args.get(0), config.upstreams().size(), config.routes().size());
  }

  private static GatewayConfig load(Path file) {
    try {
      return new ConfigParser().parseFile(file);
    } catch (InvalidConfigException e) {
      exit(2, file + ": " + e.getMessage());
      return null;
    }
  }

  private static void exit(int code, String message) {
    System.err.println(message);
    System.exit(code);
  }
}
