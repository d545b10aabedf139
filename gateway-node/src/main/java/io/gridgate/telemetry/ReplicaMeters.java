package io.gridgate.telemetry;

import io.gridgate.grid.ReplicaMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gridgate_replica_reloads_total} (re-reads of a replica by structure and trigger) and
 * {@code gridgate_replica_corrected_entries_total} (keys a re-read found stale, by structure).
 */
public final class ReplicaMeters implements ReplicaMetrics {
  private final MeterRegistry registry;
  private final String member;

  public ReplicaMeters(MeterRegistry registry, String member) {
    this.registry = registry;
    this.member = member;
  }

  @Override
  public void reloaded(String structure, String trigger, int corrected) {
    Counter.builder("gridgate.replica.reloads")
        .description("Re-reads of a node-local replica from the grid, by what set them off")
        .tags("member", member, "structure", structure, "trigger", trigger).register(registry).increment();
    Counter.builder("gridgate.replica.corrected.entries")
        .description("Keys a re-read found missing, extra or outdated in the node-local replica")
        .tags("member", member, "structure", structure).register(registry).increment(corrected);
  }
}
