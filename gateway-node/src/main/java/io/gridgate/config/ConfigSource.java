package io.gridgate.config;

/**
 * Which document a node serves at start when the shared part of its file differs from the cluster's
 * current version: the cluster's (the default; the node reports the difference) or the file's
 * (pushed on top of the cluster's version).
 */
public enum ConfigSource {
  CLUSTER,
  FILE
}
