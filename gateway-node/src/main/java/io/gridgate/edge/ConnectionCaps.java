package io.gridgate.edge;

import io.gridgate.config.ConnectionLimits;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts one listener's open connections, in all and per client address, against its caps (any thread). */
final class ConnectionCaps {
  private final int maxConnections;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionCaps(ConnectionLimits limits) {
    this.maxConnections = limits.maxConnections();
    this.maxPerClient = limits.maxConnectionsPerClient();
  }

  /**
   * Takes a place for a connection from {@code peer} ({@code exempt} from the per-client cap, e.g. a
   * trusted proxy); null when taken, else the name of the cap that refused it.
   */
  String acquire(InetAddress peer, boolean exempt) {
    if (total.incrementAndGet() > maxConnections) {
      total.decrementAndGet();
      return "max_connections";
    }
    if (!exempt && perClient.merge(peer, 1, Integer::sum) > maxPerClient) {
      release(peer, false);
      return "max_connections_per_client";
    }
    return null;
  }

  /** Gives back the place of a connection {@link #acquire} admitted. */
  void release(InetAddress peer, boolean exempt) {
    total.decrementAndGet();
    if (!exempt) {
      perClient.computeIfPresent(peer, (address, count) -> count == 1 ? null : count - 1);
    }
  }
}
