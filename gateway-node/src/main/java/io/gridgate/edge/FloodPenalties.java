package io.gridgate.edge;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client addresses that flooded a connection (HTTP/2 rapid reset, control-frame, empty-DATA or
 * CONTINUATION floods, which Netty and Vert.x end with GOAWAY ENHANCE_YOUR_CALM) and may not open
 * another one until their cooldown has passed, so a flooder cannot just reconnect (any thread).
 */
final class FloodPenalties {
  /** Past this many addresses, expired entries are swept out when another is added. */
  private static final int SWEEP_ABOVE = 1024;
  private static final Logger LOG = Logger.getLogger(FloodPenalties.class.getName());
  private final long cooldownNanos;
  private final Map<InetAddress, Long> until = new ConcurrentHashMap<>();

  FloodPenalties(long cooldownNanos) {
    this.cooldownNanos = cooldownNanos;
  }

  /** {@code client} flooded: it is refused new connections for the cooldown from now (logged once per cooldown). */
  void penalize(InetAddress client) {
    long now = System.nanoTime();
    Long previous = until.put(client, now + cooldownNanos);
    if (previous == null || now - previous >= 0) {
      LOG.log(Level.WARNING, "{0} flooded a connection (GOAWAY ENHANCE_YOUR_CALM): its new connections are refused for "
          + "node.limits.flood_cooldown", client.getHostAddress());
    }
    if (until.size() > SWEEP_ABOVE) {
      until.values().removeIf(deadline -> now - deadline >= 0);
    }
  }

  /** True while {@code client} is in its cooldown. */
  boolean isPenalized(InetAddress client) {
    Long deadline = until.get(client);
    if (deadline == null) {
      return false;
    }
    if (System.nanoTime() - deadline >= 0) {
      until.remove(client, deadline);
      return false;
    }
    return true;
  }
}
