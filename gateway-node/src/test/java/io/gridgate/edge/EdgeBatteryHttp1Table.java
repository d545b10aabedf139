package io.gridgate.edge;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs one table of the HTTP/1.1 edge battery: a subclass lists its {@link EdgeCase}s; they run in
 * order, each as its own test named after the case, against one {@link EdgeBattery} started for
 * the class. Every row is also a row of docs/security.md ({@link EdgeBatteryHttp1DocsTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class EdgeBatteryHttp1Table {
  private EdgeBattery battery;

  /** This class's rows. */
  abstract List<EdgeCase> cases();

  @BeforeAll
  final void startBattery() {
    battery = EdgeBattery.start();
  }

  @AfterAll
  final void stopBattery() {
    if (battery != null) {
      battery.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  final void edgeCase(EdgeCase edgeCase) {
    battery.check(edgeCase);
  }
}
