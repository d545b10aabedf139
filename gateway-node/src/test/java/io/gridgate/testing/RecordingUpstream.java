package io.gridgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A lenient HTTP/1.1 upstream on {@code 127.0.0.1:0} that records every request byte for byte, as a
 * permissive backend would read it: the head up to the empty line (CRLF or bare LF), then a body by
 * {@code Transfer-Encoding: chunked} (anywhere in the header) or else by the first Content-Length.
 * Whatever follows on the connection is read as the next request, so a request smuggled inside
 * another's body shows up as a request of its own. Each connection has its own thread; answers are
 * {@code 200 ok} with keep-alive unless {@link #answer} says otherwise.
 */
public final class RecordingUpstream implements AutoCloseable {
  /** What the upstream does with one recorded request. */
  public sealed interface Answer {
    /** Writes these bytes as the response and keeps reading the connection. */
    record Bytes(byte[] response) implements Answer {}

    /** Reads nothing more and never answers; the connection stays open until the gateway closes it. */
    record Silence() implements Answer {}

    /** Closes the connection without an answer. */
    record Close() implements Answer {}

    /** Writes these bytes as the response, then closes the connection (an answer framed by the close). */
    record BytesThenClose(byte[] response) implements Answer {}

    /** These ISO-8859-1 characters as the response, byte for byte. */
    static Answer raw(String response) {
      return new Bytes(response.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A {@code status} answer with {@code body}, {@code Content-Length} framed. */
    static Answer status(int status, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 " + status + " X\r\nContent-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n\r\n";
      byte[] response = new byte[head.length() + bytes.length];
      System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, response, 0, head.length());
      System.arraycopy(bytes, 0, response, head.length(), bytes.length);
      return new Bytes(response);
    }
  }

  /** One request as it reached the upstream. */
  public record Recorded(int connection, String requestLine, List<Map.Entry<String, String>> headers, byte[] body, byte[] raw) {
    public String method() {
      return requestLine.split(" ", 2)[0];
    }

    /** The request-target exactly as sent (between the first two spaces of the request line). */
    public String target() {
      String[] parts = requestLine.split(" ", 3);
      return parts.length > 1 ? parts[1] : "";
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
      List<String> all = headers(name);
      return all.isEmpty() ? null : all.get(0);
    }

    /** Every value of header {@code name} (case-insensitive), in the order sent. */
    public List<String> headers(String name) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(name)) {
          out.add(h.getValue());
        }
      }
      return out;
    }

    public String bodyString() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }

    public String rawString() {
      return new String(raw, StandardCharsets.ISO_8859_1);
    }
  }

  private static final int MAX_HEAD = 256 * 1024;
  private final ServerSocket server;
  private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Function<Recorded, Answer> answer = r -> Answer.status(200, "ok");

  private RecordingUpstream(ServerSocket server) {
    this.server = server;
    Thread acceptor = new Thread(this::accept, "recording-upstream-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static RecordingUpstream start() {
    try {
      return new RecordingUpstream(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Decides how each later request is answered. */
  public RecordingUpstream answer(Function<Recorded, Answer> how) {
    this.answer = how;
    return this;
  }

  public List<Recorded> requests() {
    return List.copyOf(recorded);
  }

  public int count() {
    return recorded.size();
  }

  /** Connections the gateway opened so far. */
  public int connectionsAccepted() {
    return connections.get();
  }

  /** Connections open right now. */
  public int connectionsOpen() {
    return open.size();
  }

  /** The last request recorded; fails when there is none. */
  public Recorded last() {
    if (recorded.isEmpty()) {
      throw new AssertionError("nothing reached the upstream");
    }
    return recorded.get(recorded.size() - 1);
  }

  public void clear() {
    recorded.clear();
  }

  /** Waits (polling, bounded by {@code within}) until {@code count} requests were recorded in all. */
  void awaitCount(int count, Duration within) {
    GatewayFixture.awaitCondition(count + " requests at the upstream", within, () -> recorded.size() >= count);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        int id = connections.incrementAndGet();
        open.add(socket);
        Thread reader = new Thread(() -> serve(socket, id), "recording-upstream-conn-" + id);
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket, int id) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (true) {
        Recorded request = readRequest(in, id);
        if (request == null) {
          return;
        }
        recorded.add(request);
        Answer reply = answer.apply(request);
        if (reply instanceof Answer.Bytes bytes) {
          out.write(bytes.response());
          out.flush();
        } else if (reply instanceof Answer.Close) {
          return;
        } else if (reply instanceof Answer.BytesThenClose bytes) {
          out.write(bytes.response());
          return;
        } else {
          in.transferTo(OutputStream.nullOutputStream()); // silent until the gateway closes
          return;
        }
      }
    } catch (IOException e) {
      // the gateway closed or reset the connection
    } finally {
      open.remove(socket);
    }
  }

  /** One request, or null at the end of the stream before a request began. */
  private static Recorded readRequest(InputStream in, int connection) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    String requestLine = readLine(in, raw);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = readLine(in, raw); // tolerate empty lines between requests
    }
    if (requestLine == null) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String line = readLine(in, raw); line != null && !line.isEmpty(); line = readLine(in, raw)) {
      if (raw.size() > MAX_HEAD) {
        throw new IOException("head too large");
      }
      int colon = line.indexOf(':');
      headers.add(colon < 0 ? Map.entry(line, "") : Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (isChunked(headers)) {
      readChunked(in, raw, body);
    } else {
      long length = contentLength(headers);
      byte[] bytes = in.readNBytes((int) Math.max(0, length));
      raw.write(bytes);
      body.write(bytes);
    }
    return new Recorded(connection, requestLine, List.copyOf(headers), body.toByteArray(), raw.toByteArray());
  }

  private static boolean isChunked(List<Map.Entry<String, String>> headers) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().trim().equalsIgnoreCase("transfer-encoding") && h.getValue().toLowerCase(Locale.ROOT).contains("chunked")) {
        return true;
      }
    }
    return false;
  }

  private static long contentLength(List<Map.Entry<String, String>> headers) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().trim().equalsIgnoreCase("content-length")) {
        try {
          return Long.parseLong(h.getValue().split(",")[0].trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  private static void readChunked(InputStream in, ByteArrayOutputStream raw, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String sizeLine = readLine(in, raw);
      if (sizeLine == null) {
        return;
      }
      int size;
      try {
        size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
      } catch (NumberFormatException e) {
        return;
      }
      if (size == 0) {
        for (String trailer = readLine(in, raw); trailer != null && !trailer.isEmpty(); trailer = readLine(in, raw)) {
          // trailers are part of raw
        }
        return;
      }
      byte[] chunk = in.readNBytes(size);
      raw.write(chunk);
      body.write(chunk);
      readLine(in, raw);
    }
  }

  /** A line without its CRLF (or bare LF); its bytes, ending included, go to {@code raw}. Null at end of stream. */
  private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      raw.write(c);
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
      }
      line.append((char) c);
      if (line.length() > MAX_HEAD) {
        throw new IOException("line too long");
      }
    }
    return line.length() == 0 ? null : line.toString();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
