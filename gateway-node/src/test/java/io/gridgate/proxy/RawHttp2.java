package io.gridgate.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * HTTP/2 prior knowledge (h2c) over a plain {@link Socket} with hand-built frames, for requests a
 * client library would refuse to send: each header goes out as an HPACK literal (no Huffman, no
 * indexing), byte for byte as given, so pseudo-headers and values can carry spaces, CR, LF or
 * control bytes. Answers are decoded with Netty's HPACK decoder, validation off. Every read is
 * bounded by a socket timeout.
 */
final class RawHttp2 implements AutoCloseable {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 8;
  private static final int CONTINUATION = 9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;

  /**
   * How one stream ended: its answer ({@code status} 0 when none came), or a reset ({@code resetCode},
   * -1 when none), or the connection going away ({@code goAwayCode}, -1 when it did not) or closing.
   */
  record Reply(int status, Http2Headers headers, String body, long resetCode, long goAwayCode, boolean closed) {
    String header(String name) {
      CharSequence value = headers == null ? null : headers.get(name);
      return value == null ? null : value.toString();
    }

    /** Whether the stream ended cleanly with an answer (no reset, no GOAWAY, no close). */
    boolean answered() {
      return status != 0 && resetCode == -1 && goAwayCode == -1 && !closed;
    }
  }

  /** What has arrived on one stream so far. */
  private static final class Stream {
    final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    Http2Headers headers;
    boolean ended;
    long resetCode = -1;
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
  private final Map<Integer, Stream> streams = new HashMap<>();
  private int nextStreamId = 1;
  private int continuing;
  private long goAwayCode = -1;
  private int goAwayLastStream = Integer.MAX_VALUE;
  private boolean closed;

  private RawHttp2(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port}, sends the preface and an empty SETTINGS frame. */
  static RawHttp2 open(int port) {
    try {
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      RawHttp2 connection = new RawHttp2(socket);
      connection.out.write(PREFACE);
      connection.frame(SETTINGS, 0, 0, new byte[0]);
      return connection;
    } catch (IOException e) {
      throw new AssertionError("h2c connection to 127.0.0.1:" + port + " failed: " + e, e);
    }
  }

  /**
   * Opens the next stream with one HEADERS frame holding {@code namesAndValues} (name, value, name,
   * value…) in that order, exactly as given; returns the stream id.
   */
  int request(boolean endStream, String... namesAndValues) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      block.write(0x00); // literal header field without indexing, new name
      string(block, namesAndValues[i]);
      string(block, namesAndValues[i + 1]);
    }
    int streamId = nextStreamId;
    nextStreamId += 2;
    streams.put(streamId, new Stream());
    write(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block.toByteArray());
    return streamId;
  }

  /** A GET of {@code path} with {@code :authority} {@code gw.test}, then {@code extra} headers (name, value…). */
  int get(String path, String... extra) {
    String[] headers = new String[8 + extra.length];
    System.arraycopy(new String[] {":method", "GET", ":scheme", "http", ":path", path, ":authority", "gw.test"}, 0,
        headers, 0, 8);
    System.arraycopy(extra, 0, headers, 8, extra.length);
    return request(true, headers);
  }

  /** Sends {@code bytes} on {@code streamId} as one DATA frame. */
  void data(int streamId, byte[] bytes, boolean endStream) {
    write(DATA, endStream ? END_STREAM : 0, streamId, bytes);
  }

  /** Reads frames until {@code streamId} ends (answer, reset, GOAWAY or close) and returns how it ended. */
  Reply await(int streamId) {
    Stream stream = streams.get(streamId);
    if (stream == null) {
      throw new IllegalArgumentException("no stream " + streamId);
    }
    while (!stream.ended && stream.resetCode == -1 && !closed && streamId <= goAwayLastStream) {
      readFrame();
    }
    int status = stream.headers == null || stream.headers.status() == null ? 0
        : Integer.parseInt(stream.headers.status().toString());
    return new Reply(status, stream.headers, stream.body.toString(StandardCharsets.UTF_8), stream.resetCode,
        goAwayCode, closed && !stream.ended);
  }

  /** The error code of the RST_STREAM read so far on {@code streamId}; -1 when none came (reads nothing). */
  long resetCode(int streamId) {
    return streams.get(streamId).resetCode;
  }

  /** Whether the server closed the connection or sent GOAWAY so far (reads nothing). */
  boolean goneAway() {
    return closed || goAwayCode != -1;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private void readFrame() {
    try {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int streamId = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      if (payload.length < length) {
        throw new EOFException();
      }
      onFrame(type, flags, streamId, payload);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no HTTP/2 frame within " + READ_TIMEOUT_MILLIS + " ms", e);
    } catch (EOFException e) {
      closed = true;
    } catch (IOException e) {
      closed = true; // reset by the server
    }
  }

  private void onFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
    Stream stream = streams.get(streamId);
    switch (type) {
      case SETTINGS -> {
        if ((flags & 0x1) == 0) {
          frame(SETTINGS, 0x1, 0, new byte[0]);
        }
      }
      case PING -> {
        if ((flags & 0x1) == 0) {
          frame(PING, 0x1, 0, payload);
        }
      }
      case GOAWAY -> {
        goAwayLastStream = ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
            | (payload[3] & 0xff);
        goAwayCode = unsigned(payload, 4);
      }
      case RST_STREAM -> {
        if (stream != null) {
          stream.resetCode = unsigned(payload, 0);
        }
      }
      case HEADERS, CONTINUATION -> onHeaderFragment(type, flags, streamId, stream, payload);
      case DATA -> {
        int start = (flags & PADDED) != 0 ? 1 : 0;
        int end = payload.length - (start == 1 ? payload[0] & 0xff : 0);
        if (stream != null) {
          stream.body.write(payload, start, end - start);
          stream.ended |= (flags & END_STREAM) != 0;
        }
        if (payload.length > 0) {
          frame(WINDOW_UPDATE, 0, 0, int32(payload.length));
          if (stream != null && !stream.ended) {
            frame(WINDOW_UPDATE, 0, streamId, int32(payload.length));
          }
        }
      }
      default -> {
        // WINDOW_UPDATE, PRIORITY, PUSH_PROMISE (push is off): nothing to do
      }
    }
  }

  private void onHeaderFragment(int type, int flags, int streamId, Stream stream, byte[] payload) {
    int start = 0;
    int end = payload.length;
    if (type == HEADERS) {
      if ((flags & PADDED) != 0) {
        end -= payload[0] & 0xff;
        start = 1;
      }
      if ((flags & PRIORITY) != 0) {
        start += 5;
      }
      continuing = (flags & END_STREAM) != 0 ? -streamId : streamId;
    }
    Stream target = stream == null ? new Stream() : stream;
    target.headerBlock.write(payload, start, end - start);
    if ((flags & END_HEADERS) == 0) {
      return;
    }
    try {
      Http2Headers decoded = decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(target.headerBlock.toByteArray()));
      target.headerBlock.reset();
      if (target.headers == null) {
        target.headers = decoded;
      }
      target.ended |= continuing < 0;
    } catch (Http2Exception e) {
      throw new AssertionError("undecodable header block from the server", e);
    }
  }

  private void write(int type, int flags, int streamId, byte[] payload) {
    try {
      frame(type, flags, streamId, payload);
    } catch (IOException e) {
      closed = true;
    }
  }

  private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] head = {
        (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId};
    out.write(head);
    out.write(payload);
    out.flush();
  }

  /** An HPACK string literal, raw (no Huffman), its length a 7-bit-prefix integer. */
  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    int length = bytes.length;
    if (length < 127) {
      block.write(length);
    } else {
      block.write(127);
      length -= 127;
      while (length >= 128) {
        block.write((length & 0x7f) | 0x80);
        length >>>= 7;
      }
      block.write(length);
    }
    block.write(bytes, 0, bytes.length);
  }

  private static long unsigned(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xffL) << 24) | ((bytes[offset + 1] & 0xffL) << 16) | ((bytes[offset + 2] & 0xffL) << 8)
        | (bytes[offset + 3] & 0xffL);
  }

  private static byte[] int32(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }
}
