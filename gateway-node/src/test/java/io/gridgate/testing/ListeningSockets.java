package io.gridgate.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, from the kernel's socket tables ({@code /proc/<pid>/net/tcp}
 * and {@code tcp6}) joined with the process's open file descriptors ({@code /proc/<pid>/fd}, each
 * socket a link to {@code socket:[inode]}): no tool beyond Linux's /proc. Each socket as
 * {@code address:port} ({@code 0.0.0.0} or {@code ::} for every interface; an IPv4-mapped IPv6
 * address as its IPv4 form), sorted.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** True where this machine has /proc with per-process socket tables. */
  public static boolean supported() {
    return Files.isReadable(Path.of("/proc/self/net/tcp"));
  }

  public static Set<String> of(long pid) throws IOException {
    Set<String> inodes = socketInodes(Path.of("/proc", Long.toString(pid), "fd"));
    Set<String> listening = new TreeSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        if (f.length > 9 && LISTEN.equals(f[3]) && inodes.contains(f[9])) {
          listening.add(address(f[1]));
        }
      }
    }
    return listening;
  }

  private static Set<String> socketInodes(Path fds) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> links = Files.list(fds)) {
      for (Path link : links.toList()) {
        try {
          String target = Files.readSymbolicLink(link).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (NoSuchFileException closedMeanwhile) {
          // the descriptor was closed while listing
        }
      }
    }
    return inodes;
  }

  /** {@code 0100007F:1F90} (tcp) or 32 hex digits and a port (tcp6), each 32-bit word in host (little-endian) order. */
  private static String address(String hex) throws IOException {
    String[] parts = hex.split(":");
    String words = parts[0];
    byte[] bytes = new byte[words.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(words.substring(at, at + 2), 16);
      }
    }
    // an IPv4-mapped IPv6 address comes back as an Inet4Address
    return InetAddress.getByAddress(bytes).getHostAddress() + ":" + Integer.parseInt(parts[1], 16);
  }
}
