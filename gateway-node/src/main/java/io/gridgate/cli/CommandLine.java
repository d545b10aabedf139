package io.gridgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The node's command-line flags: {@code --config FILE --http-port N --admin-port N --event-bus-port N --standalone}. */
public record CommandLine(Path config, Integer httpPort, Integer adminPort, Integer eventBusPort, boolean standalone) {
  public static final String USAGE = """
      usage: java -jar gateway-node.jar [run] --config FILE [--http-port N] [--admin-port N] [--event-bus-port N] [--standalone]
             java -jar gateway-node.jar validate FILE
             java -jar gateway-node.jar push FILE --admin URL [--token-file FILE] [--base-version N] [--dry-run] [--diff]
               (admin token from GRIDGATE_ADMIN_TOKEN, else --token-file)
             java -jar gateway-node.jar demo-upstreams PORT [PORT ...]
      """;

  /** Parses flags; throws IllegalArgumentException naming every bad flag. */
  public static CommandLine parse(List<String> args) {
    Path config = null;
    Integer httpPort = null;
    Integer adminPort = null;
    Integer eventBusPort = null;
    boolean standalone = false;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--standalone" -> standalone = true;
        case "--config", "--http-port", "--admin-port", "--event-bus-port" -> {
          if (i + 1 >= args.size()) {
            problems.add(arg + " needs a value");
            continue;
          }
          String value = args.get(++i);
          if (arg.equals("--config")) {
            config = Path.of(value);
          } else {
            Integer port = port(value);
            if (port == null) {
              problems.add(arg + " must be a port 0..65535 (was '" + value + "')");
            } else if (arg.equals("--http-port")) {
              httpPort = port;
            } else if (arg.equals("--admin-port")) {
              adminPort = port;
            } else {
              eventBusPort = port;
            }
          }
        }
        default -> problems.add("unknown argument '" + arg + "'");
      }
    }
    if (config == null) {
      problems.add("--config FILE is required");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new CommandLine(config, httpPort, adminPort, eventBusPort, standalone);
  }

  private static Integer port(String value) {
    try {
      int port = Integer.parseInt(value);
      return port >= 0 && port <= 65535 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
