package io.gridgate.edge;

import io.gridgate.config.NodeSettings;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client listeners of one Vert.x instance whose connections are guarded (by local port), and
 * the clock sweep of each event loop that holds such connections. A server on any other port of the
 * instance (admin API, event bus, test upstreams) is not guarded.
 */
public final class EdgeListeners {
  private final Map<Integer, ListenerGuard> guards = new ConcurrentHashMap<>();
  private final Map<EventLoop, ClockSweep> sweeps = new ConcurrentHashMap<>();

  EdgeListeners() {}

  /**
   * From now on, connections accepted on {@code port} get {@code node}'s connection caps and client
   * timeouts. Guarding a port already guarded changes nothing.
   */
  public void guard(int port, NodeSettings node) {
    guards.putIfAbsent(port, new ListenerGuard(node));
  }

  /** Connections accepted on {@code port} from now on are not guarded. */
  public void release(int port) {
    guards.remove(port);
  }

  /** The guard of the listener a connection was accepted on, or null. */
  ListenerGuard guardOf(SocketAddress local) {
    return local instanceof InetSocketAddress inet ? guards.get(inet.getPort()) : null;
  }

  /** The sweep of {@code loop}, started on first use; it runs as long as the loop. */
  ClockSweep sweepOf(EventLoop loop) {
    return sweeps.computeIfAbsent(loop, ClockSweep::start);
  }
}
