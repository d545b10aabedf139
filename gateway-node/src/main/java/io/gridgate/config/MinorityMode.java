package io.gridgate.config;

/**
 * What a node does while it sees fewer than {@code expected_size / 2 + 1} members (the minority
 * side of a split, or what is left after most members died): serve as a cluster of its own (the
 * default), or protect the cluster's state by refusing pushes and deciding cluster rate limits on
 * its share ({@code limit / expected_size}) without the grid.
 */
public enum MinorityMode {
  SERVE,
  PROTECT
}
