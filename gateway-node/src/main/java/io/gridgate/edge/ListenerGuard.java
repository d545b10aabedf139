package io.gridgate.edge;

import io.gridgate.config.ClientTimeouts;
import io.gridgate.config.NodeSettings;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Admits the connections of one node's client listener under its caps (and not from a client in its
 * flood cooldown) and gives each its clock.
 */
final class ListenerGuard {
  private static final Logger LOG = Logger.getLogger(ListenerGuard.class.getName());
  private final NodeSettings node;
  private final ConnectionCaps caps;
  private final FloodPenalties floods;
  private final long requestHeaderNanos;
  private final long keepAliveNanos;

  ListenerGuard(NodeSettings node) {
    this.node = node;
    this.caps = new ConnectionCaps(node.connections());
    this.floods = new FloodPenalties(node.connections().floodCooldown().toNanos());
    ClientTimeouts timeouts = node.clientTimeouts();
    this.requestHeaderNanos = timeouts.requestHeader().toNanos();
    this.keepAliveNanos = timeouts.keepAlive().toNanos();
  }

  /**
   * A clock for a connection just accepted, its place under the caps taken until it closes; null
   * when a cap or the client's flood cooldown refuses it (the caller closes it). Trusted proxies
   * count towards the node's cap only and are never held to a cooldown (others share their address).
   */
  ConnectionClock admit(Channel channel) {
    if (!(channel.remoteAddress() instanceof InetSocketAddress remote)) {
      return new ConnectionClock(channel, requestHeaderNanos, keepAliveNanos);
    }
    InetAddress peer = remote.getAddress();
    boolean trusted = node.isTrustedProxy(peer.getHostAddress());
    if (!trusted && floods.isPenalized(peer)) {
      return null; // logged once, when the cooldown began
    }
    String refusedBy = caps.acquire(peer, trusted);
    if (refusedBy != null) {
      LOG.log(Level.WARNING, "refused a connection from {0}: node.limits.{1} reached", new Object[] {peer.getHostAddress(), refusedBy});
      return null;
    }
    channel.closeFuture().addListener(closed -> caps.release(peer, trusted));
    ConnectionClock clock = new ConnectionClock(channel, requestHeaderNanos, keepAliveNanos);
    if (!trusted) {
      clock.onFlood(() -> floods.penalize(peer));
    }
    return clock;
  }
}
