package io.gridgate.cache;

/** Told about every request a cached route handled, by result. */
public interface CacheMetrics {
  CacheMetrics NONE = (route, result) -> { };

  void counted(String route, CacheResult result);
}
