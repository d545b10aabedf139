package io.gridgate.grid;

/** Where the durations of grid calls go: by operation, and whether the call succeeded. */
@FunctionalInterface
public interface GridCallMetrics {
  GridCallMetrics NONE = (operation, ok, nanos) -> { };

  void record(String operation, boolean ok, long nanos);
}
