package io.gridgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the node's command-line flags, with every problem reported at once. */
class CommandLineTest {

  @Test
  void parsesAllFlagsInAnyOrder() {
    assertEquals(new CommandLine(Path.of("conf/gateway.yaml"), 0, 9000, 5802, true),
        CommandLine.parse(List.of("--standalone", "--admin-port", "9000", "--config", "conf/gateway.yaml",
            "--http-port", "0", "--event-bus-port", "5802")));
  }

  @Test
  void onlyConfigIsRequired() {
    assertEquals(new CommandLine(Path.of("gateway.yaml"), null, null, null, false),
        CommandLine.parse(List.of("--config", "gateway.yaml")));
  }

  @Test
  void portBoundsAreInclusive() {
    CommandLine cli = CommandLine.parse(List.of("--config", "g.yaml", "--http-port", "65535", "--admin-port", "0"));

    assertEquals(65535, cli.httpPort());
    assertEquals(0, cli.adminPort());
  }

  @Test
  void missingConfigUnknownFlagAndBadPortAreReportedTogether() {
    assertEquals(List.of(
            "unknown argument '--verbose'",
            "--http-port must be a port 0..65535 (was '70000')",
            "--admin-port must be a port 0..65535 (was 'abc')",
            "--config FILE is required"),
        problems("--verbose", "--http-port", "70000", "--admin-port", "abc"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "80a", "", " 80"})
  void badPortsAreRejected(String port) {
    assertEquals(List.of("--http-port must be a port 0..65535 (was '" + port + "')"),
        problems("--config", "g.yaml", "--http-port", port));
  }

  @Test
  void aFlagWithoutItsValueIsReported() {
    assertEquals(List.of("--config needs a value", "--config FILE is required"), problems("--config"));
    assertEquals(List.of("--admin-port needs a value"), problems("--config", "g.yaml", "--admin-port"));
    assertEquals(List.of("--event-bus-port must be a port 0..65535 (was '-1')"),
        problems("--config", "g.yaml", "--event-bus-port", "-1"));
  }

  @Test
  void positionalArgumentsAreUnknown() {
    assertEquals(List.of("unknown argument 'gateway.yaml'"), problems("--config", "g.yaml", "gateway.yaml"));
  }

  /** The problem lines of a command line that must be rejected. */
  private static List<String> problems(String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of(args)));
    return List.of(e.getMessage().split("\n"));
  }
}
