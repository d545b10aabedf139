package io.gridgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain {@link Socket}, byte for byte, for requests a client library would refuse
 * or normalise (raw paths with dot segments, CR or NUL in header values, odd Content-Length). Every
 * read is bounded by a socket timeout.
 */
public final class RawHttp {
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  private RawHttp() {}

  /** A parsed answer; header names are case-insensitive, repeated headers joined with ", ". */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  /**
   * Writes {@code request} (ISO-8859-1, so {@code \0} and {@code \r} go out as single bytes) to a new
   * connection to {@code 127.0.0.1:port} and reads one response.
   */
  public static Response exchange(int port, String request) {
    try (Socket socket = send(port, request)) {
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new AssertionError("raw exchange with 127.0.0.1:" + port + " failed: " + e, e);
    }
  }

  /**
   * Writes {@code request} (ISO-8859-1) to a new connection to {@code 127.0.0.1:port} and returns the
   * still open socket (reads bounded by the socket timeout), e.g. to read later or to close unanswered.
   */
  public static Socket send(int port, String request) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    try {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Reads one response (Content-Length, chunked or until end of stream) from {@code in}. */
  public static Response read(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    List<String> lines = new ArrayList<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      lines.add(line);
    }
    for (String line : lines) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("Content-Length");
    String transferEncoding = headers.getOrDefault("Transfer-Encoding", "");
    if (transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        String sizeLine = readLine(in);
        int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
        if (size == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers
          }
          break;
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    } else if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else if (status >= 200 && status != 204 && status != 304) {
      in.transferTo(body);
    }
    return new Response(status, headers, body.toString(StandardCharsets.ISO_8859_1));
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }
}
