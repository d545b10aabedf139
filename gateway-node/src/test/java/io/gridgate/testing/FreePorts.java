package io.gridgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Free loopback ports for cluster members in tests. */
public final class FreePorts {
  private FreePorts() {}

  /**
   * Distinct free loopback ports, all held while choosing. They are taken below the kernel's
   * ephemeral range: a port from there (what {@code new ServerSocket(0)} hands out) can become the
   * local end of an outgoing connection (Hazelcast's, the event bus's, another test's) before or
   * while its node is down, and the node then fails to bind it.
   */
  public static int[] belowEphemeralRange(int count) throws IOException {
    return belowEphemeralRange(count, Set.of());
  }

  /** {@link #belowEphemeralRange(int)}, none of them in {@code avoid} (ports chosen for something else, not bound yet). */
  public static int[] belowEphemeralRange(int count, Set<Integer> avoid) throws IOException {
    int high = ephemeralLow();
    int low = Math.max(1024, high - 12_000);
    if (high - low < 1_000) {
      low = 20_000;
      high = 30_000;
    }
    Random random = new Random();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0, attempts = 0; i < count; attempts++) {
        if (attempts > 10_000) {
          throw new IOException("no " + count + " free ports in " + low + ".." + high);
        }
        int port = low + random.nextInt(high - low);
        if (avoid.contains(port)) {
          continue;
        }
        try {
          ServerSocket socket = new ServerSocket();
          sockets.add(socket);
          socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
          ports[i++] = port;
        } catch (IOException taken) {
          // try another
        }
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
  /**
   * The first of {@code length} consecutive ports below the ephemeral range that are free now (for
   * a member's {@code outbound-ports}, which a test tells apart by range).
   */
  public static int blockBelowEphemeralRange(int length, Set<Integer> avoid) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = belowEphemeralRange(1)[0];
      List<ServerSocket> sockets = new ArrayList<>();
      try {
        for (int port = first; port < first + length; port++) {
          if (avoid.contains(port)) {
            throw new IOException("port " + port + " is chosen for something else");
          }
          ServerSocket socket = new ServerSocket();
          sockets.add(socket);
          socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        return first;
      } catch (IOException taken) {
        // try another block
      } finally {
        for (ServerSocket socket : sockets) {
          socket.close();
        }
      }
    }
    throw new IOException("no " + length + " consecutive free ports");
  }

  private static int ephemeralLow() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }
}
