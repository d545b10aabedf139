package io.gridgate.grid;

/** Where a node's replica re-reads are counted: by structure, by what set them off, and the keys they corrected. */
public interface ReplicaMetrics {
  ReplicaMetrics NONE = (structure, trigger, corrected) -> { };

  void reloaded(String structure, String trigger, int corrected);
}
