package io.gridgate.distribution;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Brings a node whose applied document the grid does not hold back onto the cluster's one line of
 * versions. That happens to the nodes of the smaller side of a healed split: Hazelcast keeps the
 * larger side's history ({@code ConfigHistoryMerge}) and drops what the smaller side committed.
 * The document to keep is chosen by {@link ConfigRecord#MERGE_ORDER} (higher version, then greater
 * SHA-256), whichever side made it, and both documents stay in the history:
 * <ul>
 *   <li>this node's document wins: it is committed on top of the head ("merged: ..."), the other
 *       side's head staying the version below it;
 *   <li>the head wins: this node's document is committed as "lost in merge (...)" and the head's
 *       document once more on top of it, in one commit, so the head is the winner again.
 * </ul>
 * Each is one commit on the current head, so when several nodes of the smaller side notice at once
 * only the first succeeds; the others find their document in the history and follow the head. A
 * conflict (a document that lost, or the other side's edits left behind) is logged as a WARNING and
 * counted; a side that only fast-forwards (the other side pushed nothing) is not a conflict.
 */
final class ConfigHeal {
  private static final Logger LOG = Logger.getLogger(ConfigHeal.class.getName());
  private static final int REMEMBERED_VERSIONS = 1_000;

  private final ConfigStore grid;
  private final String memberId;
  private final LongAdder conflicts = new LongAdder();
  private final Map<Long, String> appliedHashes = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      return size() > REMEMBERED_VERSIONS;
    }
  };

  ConfigHeal(ConfigStore grid, String memberId) {
    this.grid = grid;
    this.memberId = memberId;
  }

  /** Remembers a version this node applied: a head it once applied is no news from the other side. */
  void applied(ConfigRecord record) {
    synchronized (appliedHashes) {
      appliedHashes.put(record.version(), record.hash());
    }
  }

  /** Merge conflicts this node resolved (committed) since it started. */
  long conflicts() {
    return conflicts.sum();
  }

  /**
   * Answers the record this node should serve, given {@code mine} (what it applied) is not on the
   * grid's line below {@code head}: the head when the history already holds {@code mine}'s
   * document, else what the commit described above made the head. Fails with a conflict when
   * another node committed first.
   */
  Future<ConfigRecord> reconcile(ConfigRecord mine, ConfigRecord head) {
    return grid.configHistory().compose(history -> {
      if (history.stream().anyMatch(mine::sameContent)) {
        return Future.succeededFuture(head);
      }
      boolean mineWins = ConfigRecord.MERGE_ORDER.compare(mine, head) > 0;
      boolean conflict = !mineWins || !applied(head.version(), head.hash());
      return grid.commitConfigs(head.version(), drafts(mine, head, mineWins, conflict))
          .onSuccess(committed -> report(mine, head, committed, conflict));
    });
  }

  /** What to commit on top of {@code head}, each with an origin saying where it comes from. */
  private List<ConfigDraft> drafts(ConfigRecord mine, ConfigRecord head, boolean mineWins, boolean conflict) {
    String was = "version " + mine.version() + " on member " + memberId;
    if (!mineWins) {
      return List.of(new ConfigDraft(mine.document(), "lost in merge (was " + was + ")"),
          new ConfigDraft(head.document(), "merge winner (version " + head.version() + " again, over " + was + ")"));
    }
    return List.of(new ConfigDraft(mine.document(), conflict
        ? "merge winner (" + was + ", over version " + head.version() + ")"
        : "merged (" + was + ", pushed while split off)"));
  }

  private boolean applied(long version, String hash) {
    synchronized (appliedHashes) {
      return hash.equals(appliedHashes.get(version));
    }
  }

  private void report(ConfigRecord mine, ConfigRecord head, ConfigRecord committed, boolean conflict) {
    ConfigRecord winner = committed.sameContent(mine) ? mine : head;
    ConfigRecord loser = winner == mine ? head : mine;
    long loserVersion = winner == mine ? head.version() : committed.version() - 1;
    if (!conflict) {
      LOG.info("configuration after a split healed: version " + mine.version() + " (sha256 " + mine.shortHash()
          + "), pushed on this side while the other side pushed nothing, is now version " + committed.version());
      return;
    }
    conflicts.increment();
    LOG.warning("configuration merge conflict after a split healed: this member served version " + mine.version()
        + " (sha256 " + mine.shortHash() + ") and the cluster version " + head.version() + " (sha256 "
        + head.shortHash() + "); the merge rule (higher version, then greater hash) keeps sha256 " + winner.shortHash()
        + " as version " + committed.version() + "; the other document (sha256 " + loser.shortHash()
        + ") is version " + loserVersion + " in the history. Check GET /admin/config/versions and push again"
        + " what should be served.");
  }
}
