package io.gridgate.cluster;

import io.gridgate.config.MinorityMode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * Watches the member count against the operator's expected cluster size. Fewer members than
 * expected for longer than the grace period marks the node degraded (a lone member split off
 * from its cluster would otherwise serve silently with the wrong view); it is logged, shown by
 * {@code /ready} and {@code /admin/node}, and cleared when the members are back. Readiness stays
 * up: a degraded node still serves. With {@link MinorityMode#PROTECT}, a node that sees fewer than
 * the quorum ({@code expected / 2 + 1}) is on a minority side from the next check on, at once.
 */
public final class ClusterHealth {
  private static final Logger LOG = Logger.getLogger(ClusterHealth.class.getName());
  static final long CHECK_INTERVAL_MILLIS = 1_000;

  private final IntSupplier members;
  private final int expected;
  private final long graceMillis;
  private final MinorityMode minorityMode;
  private long shortSinceMillis = -1;
  private volatile boolean degraded;
  private volatile boolean minority;
  private volatile int lastCount;

  public ClusterHealth(IntSupplier members, int expected, long graceMillis, MinorityMode minorityMode) {
    this.members = members;
    this.expected = expected;
    this.graceMillis = graceMillis;
    this.minorityMode = minorityMode;
  }

  public long start(Vertx vertx) {
    check(System.currentTimeMillis());
    return vertx.setPeriodic(CHECK_INTERVAL_MILLIS, id -> check(System.currentTimeMillis()));
  }

  void check(long nowMillis) {
    int count = members.getAsInt();
    lastCount = count;
    checkQuorum(count);
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

  private void checkQuorum(int count) {
    boolean now = minorityMode == MinorityMode.PROTECT && count < quorum();
    if (now != minority) {
      minority = now;
      if (now) {
        LOG.warning("minority side: " + count + " of " + expected + " expected members, fewer than the quorum of "
            + quorum() + "; pushes are refused and cluster rate limits decide on limit / " + expected
            + " on this node until the quorum is back (node.cluster.minority: protect)");
      } else {
        LOG.info("quorum back: " + count + " of " + expected + " expected members; pushes and the grid's rate-limit buckets again");
      }
    }
  }

  /** The members a side needs to act for the cluster: a strict majority of the expected size. */
  public int quorum() {
    return expected / 2 + 1;
  }

  /** True while this node protects the cluster's state from its minority side (as of the last check). */
  public boolean isMinority() {
    return minority;
  }

  public int members() {
    return lastCount;
  }

  public int expected() {
    return expected;
  }

  public boolean isDegraded() {
    return degraded;
  }

  public JsonObject toJson() {
    return new JsonObject().put("members", lastCount).put("expected", expected).put("degraded", degraded)
        .put("quorum", quorum()).put("minority", minority);
  }
}
