package io.gridgate.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The suite's HTTP/2 client (h2c prior knowledge, or after an {@code Upgrade: h2c}) over a plain
 * socket that can send anything: every frame is written by hand, header blocks as HPACK literals
 * without indexing and without Huffman coding, so names, values and pseudo-headers go out byte for
 * byte, valid or not. It reads the server's frames back with bounded waits, decodes answer header
 * blocks with Netty's HPACK decoder, acknowledges the server's SETTINGS and PINGs, and sums up what
 * happened to a stream (its answer, a RST_STREAM, a GOAWAY, a close) as an {@link Outcome}.
 */
public final class H2FrameClient implements AutoCloseable {
  public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  public static final int END_STREAM = 0x1;
  public static final int ACK = 0x1;
  public static final int END_HEADERS = 0x4;
  public static final int PADDED = 0x8;
  public static final int PRIORITY = 0x20;
  /** The largest frame payload a peer must accept before SETTINGS_MAX_FRAME_SIZE raises it. */
  public static final int MAX_FRAME_SIZE = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;
  /** The {@code :authority} of {@link #fields} and {@link #get}. */
  public static final String AUTHORITY = "gateway.test";
  private static final int MAX_PAYLOAD_READ = 1 << 24;

  /** What happened to one stream (and its connection) by the time the wait ended. */
  public record Outcome(Integer status, Http2Headers headers, byte[] body, Long reset, Long goAway, boolean closed,
                 boolean timedOut) {
    /** The {@code error} member of a JSON gateway error body, or null. */
    public String error() {
      try {
        return new JsonObject(new String(body, StandardCharsets.UTF_8)).getString("error");
      } catch (RuntimeException notJson) {
        return null;
      }
    }

    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The value of answer header {@code name}, or null. */
    public String header(String name) {
      CharSequence value = headers == null ? null : headers.get(name);
      return value == null ? null : value.toString();
    }

    /** The stream ended with an answer, not reset, and the connection can take another stream. */
    public boolean answered() {
      return status != null && reset == null && !timedOut && connectionUsable();
    }

    /** The connection can take another stream: no GOAWAY came and it is still open. */
    public boolean connectionUsable() {
      return goAway == null && !closed;
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      if (status != null) {
        parts.add("status " + status + (error() == null ? "" : " " + error()));
      }
      if (reset != null) {
        parts.add("RST_STREAM " + name(reset));
      }
      if (goAway != null) {
        parts.add("GOAWAY " + name(goAway));
      }
      if (closed) {
        parts.add("connection closed");
      }
      if (timedOut) {
        parts.add("no end of stream before the wait ran out");
      }
      return String.join(", ", parts);
    }
  }

  /** One frame as read from the server. */
  record Frame(int type, int flags, int stream, byte[] payload) {}

  private static final class StreamState {
    Http2Headers headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean ended;
    Long reset;
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private final Map<Integer, StreamState> streams = new HashMap<>();
  private final Map<Integer, Long> serverSettings = new HashMap<>();
  private final ByteArrayOutputStream pendingBlock = new ByteArrayOutputStream();
  private int pendingStream;
  private boolean pendingEndStream;
  private int nextStreamId = 1;
  private Long goAway;
  private boolean closed;
  private boolean writeFailed;
  private boolean settingsReceived;

  private H2FrameClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects from {@code 127.0.0.1} and sends the preface with empty SETTINGS and a large
   * connection window, without waiting: the server's SETTINGS are acknowledged when a wait reads them.
   */
  public static H2FrameClient connect(int port) {
    return connect(port, InetAddress.getLoopbackAddress());
  }

  private static H2FrameClient connect(int port, InetAddress from) {
    try {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      H2FrameClient client = new H2FrameClient(socket);
      client.sendPreface();
      return client;
    } catch (IOException e) {
      throw new AssertionError("cannot connect to 127.0.0.1:" + port + " from " + from.getHostAddress(), e);
    }
  }

  /** As {@link #connect}, then waits (bounded by 5 s) for the server's SETTINGS, which it acknowledges. */
  public static H2FrameClient open(int port) {
    return open(port, InetAddress.getLoopbackAddress());
  }

  /** As {@link #open(int)}, from the loopback address {@code from} (127.0.0.2, say: another client to the node). */
  public static H2FrameClient open(int port, InetAddress from) {
    H2FrameClient client = connect(port, from);
    if (!client.readUntil(() -> client.settingsReceived, Duration.ofSeconds(5))) {
      String why = client.closed ? "the server closed the connection" : "within 5 s";
      client.close();
      throw new AssertionError("no SETTINGS from the server: " + why);
    }
    return client;
  }

  /**
   * Takes over {@code socket} after the server answered {@code 101 Switching Protocols} to an
   * {@code Upgrade: h2c} request: sends the preface; the server's answer comes on stream 1.
   */
  public static H2FrameClient afterUpgrade(Socket socket) throws IOException {
    H2FrameClient client = new H2FrameClient(socket);
    client.used(1);
    client.sendPreface();
    return client;
  }

  private void sendPreface() {
    write(PREFACE, frame(Http2FrameTypes.SETTINGS, 0, 0, new byte[0]), windowUpdate(0, 1 << 30));
  }

  /** The value the server announced for setting {@code id} in its first SETTINGS, or null. */
  public Long serverSetting(int id) {
    return serverSettings.get(id);
  }

  /** A stream id the client has not used yet (odd, increasing), reserved by this call. */
  public int newStreamId() {
    int id = nextStreamId;
    nextStreamId += 2;
    return id;
  }

  /** Notes that the client used {@code streamId} itself, so {@link #newStreamId()} stays above it. */
  public void used(int streamId) {
    if (streamId >= nextStreamId) {
      nextStreamId = (streamId | 1) + 2;
    }
  }

  /** Drops what was read about {@code stream}, so that a later {@link #await} sees only what comes next. */
  public void forget(int stream) {
    streams.remove(stream);
  }

  // ---- writing ----

  /**
   * Writes {@code chunks} as they are and flushes; a failure (the server closed) is noted, not
   * thrown, and does not end the reading: frames the server sent before it closed (a GOAWAY) are
   * still in this socket and are read, as the kernel keeps data received before a reset.
   */
  public void write(byte[]... chunks) {
    try {
      for (byte[] chunk : chunks) {
        out.write(chunk);
      }
      out.flush();
    } catch (IOException e) {
      writeFailed = true;
    }
  }

  /** Whether a write failed: the server stopped reading (what it sent before can still be read). */
  public boolean writeFailed() {
    return writeFailed;
  }

  /** Sends one HEADERS frame carrying all of {@code block} on {@code stream}. */
  public void headers(int stream, int flags, byte[] block) {
    used(stream);
    write(frame(Http2FrameTypes.HEADERS, flags, stream, block));
  }

  /** Sends a complete request head ({@code fields}: name, value, name, value...) on a new stream, returning its id. */
  public int request(boolean endStream, String... fields) {
    int stream = newStreamId();
    headers(stream, END_HEADERS | (endStream ? END_STREAM : 0), block(fields));
    return stream;
  }

  public static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
    frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    frame.put((byte) type).put((byte) flags).putInt(stream & 0x7fffffff).put(payload);
    return frame.array();
  }

  public static byte[] data(int stream, int flags, byte[] data) {
    return frame(Http2FrameTypes.DATA, flags, stream, data);
  }

  public static byte[] continuation(int stream, int flags, byte[] fragment) {
    return frame(Http2FrameTypes.CONTINUATION, flags, stream, fragment);
  }

  public static byte[] rstStream(int stream, Http2Error error) {
    return frame(Http2FrameTypes.RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt((int) error.code()).array());
  }

  public static byte[] ping(int flags, long opaque) {
    return frame(Http2FrameTypes.PING, flags, 0, ByteBuffer.allocate(8).putLong(opaque).array());
  }

  /** A PRIORITY frame for {@code stream} depending on {@code dependsOn}. */
  public static byte[] priority(int stream, int dependsOn, int weight) {
    return frame(Http2FrameTypes.PRIORITY, 0, stream, ByteBuffer.allocate(5).putInt(dependsOn).put((byte) weight).array());
  }

  public static byte[] windowUpdate(int stream, int increment) {
    return frame(Http2FrameTypes.WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(increment).array());
  }

  /** A SETTINGS frame on stream 0 with {@code idsAndValues} (id, value, id, value...). */
  public static byte[] settings(long... idsAndValues) {
    ByteBuffer payload = ByteBuffer.allocate(idsAndValues.length / 2 * 6);
    for (int i = 0; i < idsAndValues.length; i += 2) {
      payload.putShort((short) idsAndValues[i]).putInt((int) idsAndValues[i + 1]);
    }
    return frame(Http2FrameTypes.SETTINGS, 0, 0, payload.array());
  }

  /** {@code parts} back to back. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A GET for {@code path} as header fields, in the usual order. */
  public static String[] get(String path, String... extraFields) {
    return fields("GET", path, extraFields);
  }

  /** A {@code method} request for {@code path} on {@link #AUTHORITY} as header fields, pseudo-headers first. */
  public static String[] fields(String method, String path, String... extraFields) {
    String[] pseudo = {":method", method, ":scheme", "http", ":authority", AUTHORITY, ":path", path};
    String[] all = new String[pseudo.length + extraFields.length];
    System.arraycopy(pseudo, 0, all, 0, pseudo.length);
    System.arraycopy(extraFields, 0, all, pseudo.length, extraFields.length);
    return all;
  }

  // ---- HPACK, literals only ----

  /**
   * A header block of {@code fields} (name, value, name, value...) in order, each a literal
   * without indexing with a literal name, neither Huffman coded: the bytes are the chars
   * (ISO-8859-1), whatever they are.
   */
  public static byte[] block(String... fields) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      block.write(0x00);
      string(block, fields[i]);
      string(block, fields[i + 1]);
    }
    return block.toByteArray();
  }

  private static void string(ByteArrayOutputStream block, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(block, 7, 0x00, bytes.length);
    block.writeBytes(bytes);
  }

  /** An HPACK integer (RFC 7541 5.1) with a {@code prefixBits}-bit prefix after {@code firstByteFlags}. */
  public static void integer(ByteArrayOutputStream out, int prefixBits, int firstByteFlags, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out.write(firstByteFlags | value);
      return;
    }
    out.write(firstByteFlags | max);
    int rest = value - max;
    while (rest >= 0x80) {
      out.write((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  // ---- reading ----

  /**
   * Reads frames until {@code stream} ends (END_STREAM from the server, or RST_STREAM), the
   * connection closes, or {@code within} runs out; a GOAWAY is noted and the wait goes on until
   * the stream ends or the connection closes.
   */
  public Outcome await(int stream, Duration within) {
    StreamState state = state(stream);
    return outcome(state, readUntil(() -> state.ended || state.reset != null, within));
  }

  /**
   * Reads frames until the server resets {@code stream} (after its answer, say), the connection
   * closes, or {@code within} runs out.
   */
  public Outcome awaitReset(int stream, Duration within) {
    StreamState state = state(stream);
    return outcome(state, readUntil(() -> state.reset != null, within));
  }

  /**
   * Reads frames until the connection closes or {@code within} runs out, then sums up
   * {@code stream}: for a connection error that follows a stream's own end.
   */
  public Outcome awaitClose(int stream, Duration within) {
    return outcome(state(stream), readUntil(() -> closed, within));
  }

  /**
   * Reads frames until a GOAWAY has come (at once if one came before), the connection closes, or
   * {@code within} runs out; returns the GOAWAY's error code, or null.
   */
  public Long awaitGoAway(Duration within) {
    readUntil(() -> goAway != null, within);
    return goAway;
  }

  /** Reads frames until {@code done}, the connection closes or {@code within} runs out; whether {@code done}. */
  private boolean readUntil(BooleanSupplier done, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean() && !closed) {
      Frame f = readFrame(deadline);
      if (f == null) {
        break;
      }
      process(f);
    }
    return done.getAsBoolean();
  }

  private StreamState state(int stream) {
    return streams.computeIfAbsent(stream, id -> new StreamState());
  }

  private Outcome outcome(StreamState state, boolean done) {
    return new Outcome(state.headers == null ? null : statusOf(state.headers), state.headers,
        state.body.toByteArray(), state.reset, goAway, closed, !done && !closed);
  }

  /** The next frame, or null when the connection closed or {@code deadlineNanos} passed. */
  private Frame readFrame(long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
      byte[] head = in.readNBytes(9);
      if (head.length < 9) {
        closed = true;
        return null;
      }
      int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
      if (length > MAX_PAYLOAD_READ) {
        throw new AssertionError("the server sent a frame of " + length + " bytes");
      }
      socket.setSoTimeout(10_000); // the rest of a frame whose head arrived
      byte[] payload = in.readNBytes(length);
      if (payload.length < length) {
        throw new EOFException("frame cut short");
      }
      int stream = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
      return new Frame(head[3] & 0xff, head[4] & 0xff, stream, payload);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      closed = true;
      return null;
    }
  }

  private void process(Frame f) {
    switch (f.type()) {
      case Http2FrameTypes.SETTINGS -> {
        if ((f.flags() & ACK) == 0) {
          ByteBuffer p = ByteBuffer.wrap(f.payload());
          while (p.remaining() >= 6) {
            serverSettings.put(p.getShort() & 0xffff, p.getInt() & 0xffffffffL);
          }
          settingsReceived = true;
          write(frame(Http2FrameTypes.SETTINGS, ACK, 0, new byte[0]));
        }
      }
      case Http2FrameTypes.PING -> {
        if ((f.flags() & ACK) == 0) {
          write(frame(Http2FrameTypes.PING, ACK, 0, f.payload()));
        }
      }
      case Http2FrameTypes.HEADERS -> {
        pendingStream = f.stream();
        pendingEndStream = (f.flags() & END_STREAM) != 0;
        pendingBlock.reset();
        pendingBlock.writeBytes(headerFragment(f.flags(), f.payload()));
        if ((f.flags() & END_HEADERS) != 0) {
          decodePending();
        }
      }
      case Http2FrameTypes.CONTINUATION -> {
        pendingBlock.writeBytes(f.payload());
        if ((f.flags() & END_HEADERS) != 0) {
          decodePending();
        }
      }
      case Http2FrameTypes.DATA -> {
        StreamState state = state(f.stream());
        state.body.writeBytes(unpadded(f.flags(), f.payload()));
        if ((f.flags() & END_STREAM) != 0) {
          state.ended = true;
        }
      }
      case Http2FrameTypes.RST_STREAM ->
          state(f.stream()).reset = ByteBuffer.wrap(f.payload()).getInt() & 0xffffffffL;
      case Http2FrameTypes.GO_AWAY -> goAway = ByteBuffer.wrap(f.payload(), 4, 4).getInt() & 0xffffffffL;
      default -> {
        // WINDOW_UPDATE, PRIORITY, PUSH_PROMISE and unknown frames change nothing a test looks at
      }
    }
  }

  /** The payload of a DATA, HEADERS or PUSH_PROMISE frame without its padding. */
  private static byte[] unpadded(int flags, byte[] payload) {
    if ((flags & PADDED) == 0) {
      return payload;
    }
    return Arrays.copyOfRange(payload, 1, payload.length - (payload[0] & 0xff));
  }

  /** The header block fragment of a HEADERS frame: its payload without padding and priority fields. */
  public static byte[] headerFragment(int flags, byte[] payload) {
    byte[] p = unpadded(flags, payload);
    return (flags & PRIORITY) == 0 ? p : Arrays.copyOfRange(p, 5, p.length);
  }

  private void decodePending() {
    try {
      Http2Headers headers = decoder.decodeHeaders(pendingStream, Unpooled.wrappedBuffer(pendingBlock.toByteArray()));
      StreamState state = state(pendingStream);
      if (state.headers == null) {
        state.headers = headers;
      }
      if (pendingEndStream) {
        state.ended = true;
      }
    } catch (Http2Exception e) {
      throw new AssertionError("the server sent a header block Netty cannot decode", e);
    }
  }

  private static Integer statusOf(Http2Headers headers) {
    CharSequence status = headers.status();
    return status == null ? null : Integer.parseInt(status.toString());
  }

  /** The RFC 9113 name of an error code, or the code in hex when it has none. */
  public static String name(long code) {
    Http2Error error = Http2Error.valueOf(code);
    return error == null ? "0x" + Long.toHexString(code) : error.name();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
