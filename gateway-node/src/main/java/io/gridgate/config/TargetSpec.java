package io.gridgate.config;

/** One server of an upstream pool. */
public record TargetSpec(String host, int port, int weight) {
  public String address() {
    return host + ":" + port;
  }
}
