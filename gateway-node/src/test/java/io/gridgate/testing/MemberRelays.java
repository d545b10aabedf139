package io.gridgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * TCP relays on loopback through which Hazelcast members reach each other, so a test can cut a
 * member off and heal it. Member {@code i} advertises relay {@code i}'s port as its public address
 * and opens its own connections from a port range of its own ({@code outbound-ports}), so a relay
 * tells which member connects by the source port. Cutting member {@code i} closes relay {@code i}'s
 * connections and every connection coming from {@code i}'s range, and refuses new ones, until
 * {@link #heal}. Other traffic (the event bus) does not pass here.
 */
public final class MemberRelays implements AutoCloseable {
  /** Source ports reserved for each member's outgoing connections. */
  static final int OUTBOUND_PORTS = 40;

  private final int[] targetPorts;
  private final int[] relayPorts;
  private final int[] outboundLow;
  private final ServerSocket[] servers;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final Set<Integer> cut = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * One relay in front of each of {@code targetPorts} (the members' real ports on 127.0.0.1); no
   * relay port or outbound range takes one of {@code reserved} (the nodes' ports, bound later).
   */
  public MemberRelays(int[] targetPorts, Set<Integer> reserved) throws IOException {
    int n = targetPorts.length;
    this.targetPorts = targetPorts.clone();
    Set<Integer> taken = new HashSet<>(reserved);
    relayPorts = FreePorts.belowEphemeralRange(n, taken);
    Arrays.stream(relayPorts).forEach(taken::add);
    outboundLow = new int[n];
    for (int i = 0; i < n; i++) {
      outboundLow[i] = FreePorts.blockBelowEphemeralRange(OUTBOUND_PORTS, taken);
      IntStream.range(outboundLow[i], outboundLow[i] + OUTBOUND_PORTS).forEach(taken::add);
    }
    servers = new ServerSocket[n];
    for (int i = 0; i < n; i++) {
      servers[i] = new ServerSocket();
      servers[i].setReuseAddress(true);
      servers[i].bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPorts[i]));
      int relay = i;
      Thread accept = new Thread(() -> acceptLoop(relay), "relay-accept-" + i);
      accept.setDaemon(true);
      accept.start();
    }
  }

  /** The address member {@code i} is reached at (its public address). */
  public String publicAddress(int i) {
    return "127.0.0.1:" + relayPorts[i];
  }

  /** Member {@code i}'s outbound port range, as Hazelcast's {@code outbound-ports} takes it. */
  public String outboundPorts(int i) {
    return outboundLow[i] + "-" + (outboundLow[i] + OUTBOUND_PORTS - 1);
  }

  /** Cuts member {@code i} off: no connection to it or from it passes until {@link #heal}. */
  public void cut(int i) {
    cut.add(i);
    for (Link link : links) {
      if (link.relay == i || link.from == i) {
        link.close();
      }
    }
  }

  /** Lets every member reach every other again. */
  public void heal() {
    cut.clear();
  }

  @Override
  public void close() {
    closed = true;
    for (ServerSocket server : servers) {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    links.forEach(Link::close);
  }

  private void acceptLoop(int relay) {
    while (!closed) {
      Socket client;
      try {
        client = servers[relay].accept();
      } catch (IOException e) {
        return;
      }
      int from = memberOf(client.getPort());
      if (cut.contains(relay) || cut.contains(from)) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPorts[relay]);
        Link link = new Link(relay, from, client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  /** The member whose outbound range holds {@code port}, or -1. */
  private int memberOf(int port) {
    for (int i = 0; i < outboundLow.length; i++) {
      if (port >= outboundLow[i] && port < outboundLow[i] + OUTBOUND_PORTS) {
        return i;
      }
    }
    return -1;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // gone anyway
    }
  }

  /** One relayed connection: bytes copied both ways on two threads until either side ends. */
  private final class Link {
    final int relay;
    final int from;
    final Socket client;
    final Socket server;

    Link(int relay, int from, Socket client, Socket server) {
      this.relay = relay;
      this.from = from;
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server, "in");
      pump(server, client, "out");
    }

    private void pump(Socket source, Socket sink, String direction) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = source.getInputStream(); OutputStream out = sink.getOutputStream()) {
          int read;
          while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
          }
        } catch (IOException ignored) {
          // one side ended or the link was cut
        }
        close();
      }, "relay-" + relay + "-" + direction);
      thread.setDaemon(true);
      thread.start();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
      links.remove(this);
    }
  }
}
