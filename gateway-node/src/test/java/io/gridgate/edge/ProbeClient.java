package io.gridgate.edge;

import io.gridgate.testing.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The well-behaved client of the flood and slow-client batteries: sequential keep-alive HTTP/1.1
 * GETs from {@code 127.0.0.1}, each timed, alternating between two nodes on a connection of its own
 * to each. A request that is not answered 200 within the read timeout ends the run as a failure,
 * so a starved probe costs at most one timeout.
 */
final class ProbeClient {
  private static final int READ_TIMEOUT_MILLIS = 5_000;
  private static final byte[] REQUEST = ("GET /app/probe HTTP/1.1\r\nHost: " + BatteryNode.AUTHORITY + "\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);

  private ProbeClient() {}

  /** Timings of one or more runs in microseconds, and the first failure (or null). Not thread-safe. */
  static final class Samples {
    private long[] micros = new long[256];
    private int count;
    private String failure;

    void add(long took) {
      if (count == micros.length) {
        micros = Arrays.copyOf(micros, count * 2);
      }
      micros[count++] = took;
    }

    void fail(String why) {
      failure = failure == null ? why : failure;
    }

    String failure() {
      return failure;
    }

    /** The {@code q} quantile (nearest rank) in milliseconds; NaN without samples. */
    double quantileMillis(double q) {
      if (count == 0) {
        return Double.NaN;
      }
      long[] sorted = Arrays.copyOf(micros, count);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * count);
      return sorted[Math.max(0, rank - 1)] / 1000.0;
    }

    double p99() {
      return quantileMillis(0.99);
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "n=%d p50=%.2fms p99=%.2fms max=%.2fms%s", count,
          quantileMillis(0.5), p99(), quantileMillis(1.0), failure == null ? "" : " failure: " + failure);
    }
  }

  /**
   * Alternates requests between {@code 127.0.0.1:portA} and {@code 127.0.0.1:portB}, each on one new
   * connection of its own (each pair in turn starting with the other node): {@code warmUp} untimed
   * pairs, then {@code pairs} timed pairs whose timings go to {@code intoA} and {@code intoB}. Stops
   * at the first failure; a run longer than {@code limit} stops too, noted as a failure of
   * {@code intoA} (the node under test is too slow).
   */
  static void alternate(int portA, int portB, int warmUp, int pairs, Duration limit, Samples intoA, Samples intoB) {
    long deadline = System.nanoTime() + limit.toNanos();
    try (Connection a = new Connection(portA, intoA); Connection b = new Connection(portB, intoB)) {
      for (int i = 0; i < warmUp + pairs; i++) {
        if (System.nanoTime() - deadline > 0) {
          intoA.fail("only " + Math.max(0, i - warmUp) + " of " + pairs + " timed pairs within " + limit);
          return;
        }
        Connection first = i % 2 == 0 ? a : b;
        Connection second = first == a ? b : a;
        if (!first.exchange(i >= warmUp) || !second.exchange(i >= warmUp)) {
          return;
        }
      }
    }
  }

  /**
   * One keep-alive probe connection and where its timings go. Like any HTTP client, it sends a GET
   * again on a new connection when the node had closed the idle one (the node's idle timeouts
   * apply to the probe too, e.g. while the other node of a pair is slow); the time counts.
   */
  private static final class Connection implements AutoCloseable {
    private final int port;
    private final Samples into;
    private Socket socket;

    Connection(int port, Samples into) {
      this.port = port;
      this.into = into;
    }

    private void connect() throws IOException {
      close();
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
    }

    private RawHttp.Response get() throws IOException {
      if (socket == null) {
        connect();
      }
      OutputStream out = socket.getOutputStream();
      out.write(REQUEST);
      out.flush();
      return RawHttp.read(socket.getInputStream());
    }

    /** One timed GET; false (with the failure noted) unless it was answered 200. */
    boolean exchange(boolean timed) {
      try {
        long start = System.nanoTime();
        RawHttp.Response response;
        try {
          response = get();
        } catch (SocketTimeoutException unanswered) {
          throw unanswered;
        } catch (IOException closedWhileIdle) {
          connect();
          response = get();
        }
        long took = (System.nanoTime() - start) / 1000;
        if (response.status() != 200) {
          into.fail("answered " + response.status() + " " + response.body());
          return false;
        }
        if (timed) {
          into.add(took);
        }
        return true;
      } catch (IOException e) {
        into.fail(e.toString());
        return false;
      }
    }

    @Override
    public void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing anyway
        }
        socket = null;
      }
    }
  }
}
