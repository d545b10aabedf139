package io.gridgate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SerialTask}, with runs the test ends by hand: never two runs at once, requests made during
 * a run served together by exactly one more run (none lost), and a failed run not blocking the next.
 */
class SerialTaskTest {
  private final List<Promise<Void>> runs = new ArrayList<>();
  private final SerialTask task = new SerialTask(() -> {
    Promise<Void> run = Promise.promise();
    runs.add(run);
    return run.future();
  });

  @Test
  void requestsDuringARunAreServedTogetherByOneMoreRunAfterIt() {
    Future<Void> first = task.run();
    Future<Void> second = task.run();
    Future<Void> third = task.run();
    assertEquals(1, runs.size(), "no second run while the first is under way");

    runs.get(0).complete();
    assertTrue(first.succeeded());
    assertEquals(2, runs.size(), "the requests made during the first run start one more");
    assertFalse(second.isComplete(), "a request is answered by a run that started after it");

    runs.get(1).complete();
    assertTrue(second.succeeded());
    assertTrue(third.succeeded());
    assertEquals(2, runs.size(), "nothing left to run");

    Future<Void> later = task.run();
    assertEquals(3, runs.size(), "an idle task runs at once");
    runs.get(2).complete();
    assertTrue(later.succeeded());
  }

  @Test
  void aFailedRunStillStartsTheOneRequestedDuringIt() {
    Future<Void> failing = task.run();
    Future<Void> queued = task.run();
    runs.get(0).fail("grid unreachable");
    assertTrue(failing.failed());
    assertEquals(2, runs.size());
    runs.get(1).complete();
    assertTrue(queued.succeeded());
  }

  @Test
  void aTaskThatThrowsFailsItsRunAndLeavesTheTaskUsable() {
    boolean[] thrown = {false};
    SerialTask throwing = new SerialTask(() -> {
      if (!thrown[0]) {
        thrown[0] = true;
        throw new IllegalStateException("not started");
      }
      return Future.succeededFuture();
    });
    assertTrue(throwing.run().failed());
    assertTrue(throwing.run().succeeded());
  }
}
