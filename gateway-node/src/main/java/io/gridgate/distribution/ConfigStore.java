package io.gridgate.distribution;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where the cluster's committed configuration versions live. Every operation is asynchronous; the
 * data plane never sees Hazelcast. Implementations: {@link io.gridgate.grid.LocalConfigStore}
 * (one node, tests) and {@link io.gridgate.grid.HazelcastConfigStore}.
 */
public interface ConfigStore {

  /** The newest committed configuration, or null when none was ever committed. */
  Future<ConfigRecord> headConfig();

  /** One committed version, or null when unknown. */
  Future<ConfigRecord> configVersion(long version);

  /** Every committed version, oldest first. */
  Future<List<ConfigRecord>> configHistory();

  /**
   * Commits {@code document} as version {@code baseVersion + 1}; fails with
   * {@link ConfigConflictException} unless {@code baseVersion} is the current head (0 when empty).
   */
  default Future<ConfigRecord> commitConfig(long baseVersion, String document, String origin) {
    return commitConfigs(baseVersion, List.of(new ConfigDraft(document, origin)));
  }

  /**
   * Commits several documents as versions {@code baseVersion + 1} to {@code baseVersion + n}, the
   * head moving from the base straight to the last (no reader sees it on an earlier one), and
   * answers the last; fails like {@link #commitConfig}.
   */
  Future<ConfigRecord> commitConfigs(long baseVersion, List<ConfigDraft> drafts);

  /**
   * Offers a version known locally (a node's disk snapshot after a full-cluster restart); it is
   * stored when the grid does not have it, and becomes the head when it is newer.
   */
  Future<Void> offerConfig(ConfigRecord record);

  /**
   * Runs {@code action} (on a grid thread) each time this member has merged back into a cluster
   * after a split; a standalone grid never splits.
   */
  default void onMerged(Runnable action) {}
}
