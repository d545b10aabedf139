package io.gridgate.testing;

import io.gridgate.edge.EdgeCase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw client connection to the gateway from a chosen loopback address (so a test can be a
 * trusted proxy): writes bytes as given, reads answers one by one and tells an answer, a close and
 * a hang apart. Every read is bounded.
 */
public final class RawConnection implements AutoCloseable {
  /** Longest wait for an answer: past it the gateway is taken to hang. */
  static final int ANSWER_TIMEOUT_MILLIS = 10_000;
  /** Longest wait for the gateway to close the connection after an answer that says it will. */
  static final int CLOSE_TIMEOUT_MILLIS = 5_000;

  private final String label;
  private final Socket socket;
  private final InputStream in;

  /** A final answer and the number of interim (1xx) answers read before it. */
  public record Answered(RawHttp.Response response, int interim) {}

  private RawConnection(String label, Socket socket) throws IOException {
    this.label = label;
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects from {@code fromAddress} (a loopback address) to {@code 127.0.0.1:port}; failures start with {@code label}. */
  public static RawConnection open(String label, String fromAddress, int port) {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ANSWER_TIMEOUT_MILLIS);
      socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
      return new RawConnection(label, socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new AssertionError(label + ": cannot connect from " + fromAddress + " to 127.0.0.1:" + port + ": " + e, e);
    }
  }

  /** Writes {@code text} byte for byte (ISO-8859-1: each char is one byte). */
  public void write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new AssertionError(label + ": the gateway refused the request bytes: " + e, e);
    }
  }

  /** The next final answer, counting the interim (1xx) answers before it; fails on a hang or a close without an answer. */
  public Answered next() {
    int interim = 0;
    while (true) {
      RawHttp.Response response = read();
      if (response.status() >= 200 || response.status() == 101) {
        return new Answered(response, interim);
      }
      interim++;
    }
  }

  private RawHttp.Response read() {
    try {
      return RawHttp.read(in);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(label + ": no answer within " + ANSWER_TIMEOUT_MILLIS + " ms: the gateway hangs", e);
    } catch (IOException e) {
      throw new AssertionError(label + ": the connection ended without an answer: " + e.getMessage(), e);
    }
  }

  /** Fails unless the gateway closes (or resets) the connection within {@link #CLOSE_TIMEOUT_MILLIS}, sending nothing more. */
  public void assertClosed() {
    try {
      socket.setSoTimeout(CLOSE_TIMEOUT_MILLIS);
      int next = in.read();
      if (next != -1) {
        throw new AssertionError(label + ": the connection should close after the answer, but more bytes came: "
            + EdgeCase.escape(new String(new byte[] {(byte) next}, StandardCharsets.ISO_8859_1)
            + new String(in.readNBytes(Math.min(in.available(), 200)), StandardCharsets.ISO_8859_1)));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(label + ": the connection is still open " + CLOSE_TIMEOUT_MILLIS + " ms after the answer", e);
    } catch (SocketException e) {
      // reset: closed as well
    } catch (IOException e) {
      throw new AssertionError(label + ": " + e, e);
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
