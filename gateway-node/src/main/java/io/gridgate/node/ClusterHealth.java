package io.gridgate.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Watches the member count against the operator's expected cluster size. Fewer members than
 * expected for longer than the grace period marks the node degraded (a lone member split off
 * from its cluster would otherwise serve silently with the wrong view); it is logged, shown by
 * {@code /ready} and {@code /admin/node}, and cleared when the members are back. Readiness stays
 * up: a degraded node still serves.
 */
final class ClusterHealth {
  private static final Logger LOG = Logger.getLogger(ClusterHealth.class.getName());
  static final long CHECK_INTERVAL_MILLIS = 1_000;

  private final IntSupplier members;
  private final int expected;
  private final long graceMillis;
  private long shortSinceMillis = -1;
  private volatile boolean degraded;
  private volatile int lastCount;

  ClusterHealth(IntSupplier members, int expected, long graceMillis) {
    this.members = members;
    this.expected = expected;
    this.graceMillis = graceMillis;
  }

  long start(Vertx vertx) {
    check(System.currentTimeMillis());
    return vertx.setPeriodic(CHECK_INTERVAL_MILLIS, id -> check(System.currentTimeMillis()));
  }

  void check(long nowMillis) {
    int count = members.getAsInt();
    lastCount = count;
    if (count >= expected) {
      if (degraded) {
        LOG.info("cluster healthy again: " + count + " of " + expected + " expected members");
      }
      shortSinceMillis = -1;
      degraded = false;
      return;
    }
    if (shortSinceMillis < 0) {
      shortSinceMillis = nowMillis;
    }
    if (!degraded && nowMillis - shortSinceMillis >= graceMillis) {
      degraded = true;
      LOG.warning("cluster degraded: " + count + " of " + expected + " expected members for over "
          + graceMillis + " ms");
    }
  }

  int members() {
    return lastCount;
  }

  int expected() {
    return expected;
  }

  boolean isDegraded() {
    return degraded;
  }

  JsonObject toJson() {
    return new JsonObject().put("members", lastCount).put("expected", expected).put("degraded", degraded);
  }
}
