package io.gridgate.config;

/** One problem found in a configuration document, located by its YAML path. */
public record ConfigError(String path, String reason) {
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
