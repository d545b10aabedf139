package io.gridgate.config;

import java.time.Duration;

/**
 * How many client connections a node holds: in all, per client address (the TCP peer; trusted
 * proxies are not counted), how many streams one HTTP/2 connection may have open at once, and how
 * long a client address whose connection was ended for flooding (HTTP/2 GOAWAY ENHANCE_YOUR_CALM)
 * may not open new ones.
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerClient, int maxConcurrentStreams,
                               Duration floodCooldown) {
  public static ConnectionLimits defaults() {
    return new ConnectionLimits(10_000, 256, 100, Duration.ofSeconds(30));
  }
}
