package io.gridgate.config;

/**
 * How many client connections a node holds: in all, per client address (the TCP peer; trusted
 * proxies are not counted), and how many streams one HTTP/2 connection may have open at once.
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerClient, int maxConcurrentStreams) {
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(10_000, 256, 100);
  }
}
