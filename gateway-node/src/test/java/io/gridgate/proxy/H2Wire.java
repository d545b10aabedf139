package io.gridgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HTTP/2 prior knowledge (h2c) over a plain {@link Socket}, frame by frame, for what a client library
 * hides: unacknowledged SETTINGS, more streams than allowed, resets right after HEADERS. Reads are
 * bounded by a socket timeout; HPACK is Netty's (one encoder and one decoder per connection).
 */
final class H2Wire implements AutoCloseable {
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int GOAWAY = 0x7;
  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;
  static final int REFUSED_STREAM = 0x7;
  static final int CANCEL = 0x8;
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  /** One frame as read from the server; a HEADERS frame with its header block decoded. */
  record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    /** The {@code :status} of a HEADERS frame. */
    int status() {
      return Integer.parseInt(headers.status().toString());
    }

    /** The error code of a RST_STREAM or GOAWAY frame. */
    long errorCode() {
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      return Integer.toUnsignedLong(buffer.getInt(type == GOAWAY ? 4 : 0));
    }

    /** The parameters of a SETTINGS frame, by identifier. */
    Map<Integer, Long> settings() {
      Map<Integer, Long> settings = new HashMap<>();
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      while (buffer.remaining() >= 6) {
        settings.put(Short.toUnsignedInt(buffer.getShort()), Integer.toUnsignedLong(buffer.getInt()));
      }
      return settings;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  private H2Wire(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port} and sends the connection preface and an empty SETTINGS frame. */
  static H2Wire connect(int port) throws IOException {
    return connectFrom(port, InetAddress.getLoopbackAddress());
  }

  /** As {@link #connect}, from the loopback address {@code local} (e.g. 127.0.0.2, another client). */
  static H2Wire connectFrom(int port, InetAddress local) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, local, 0);
    socket.setSoTimeout(10_000);
    H2Wire wire = new H2Wire(socket);
    wire.out.write(PREFACE);
    wire.frame(SETTINGS, 0, 0, new byte[0]);
    return wire;
  }

  void settingsAck() throws IOException {
    frame(SETTINGS, FLAG_ACK, 0, new byte[0]);
  }

  /** A GET for {@code path} on {@code streamId}, ending the stream. */
  void get(int streamId, String path) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").authority("127.0.0.1").path(path);
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      frame(HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, streamId, bytes);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  void reset(int streamId, int errorCode) throws IOException {
    frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
  }

  private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(9);
    head.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
        .put((byte) type).put((byte) flags).putInt(streamId);
    out.write(head.array());
    out.write(payload);
    out.flush();
  }

  /**
   * The next frame; null when the server closed the connection. Every HEADERS frame is decoded as it
   * is read (HPACK state spans the connection); the server is expected to send whole header blocks.
   */
  Frame read() throws IOException {
    byte[] head = new byte[9];
    try {
      in.readFully(head);
    } catch (EOFException e) {
      return null;
    }
    int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
    byte[] payload = new byte[length];
    in.readFully(payload);
    int type = head[3] & 0xff;
    int streamId = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
    int flags = head[4] & 0xff;
    return new Frame(type, flags, streamId, payload, type == HEADERS ? decode(streamId, flags, payload) : null);
  }

  /** The header block of a HEADERS frame's payload, without its padding and priority fields. */
  private Http2Headers decode(int streamId, int flags, byte[] payload) throws IOException {
    boolean padded = (flags & FLAG_PADDED) != 0;
    int padLength = padded ? payload[0] & 0xff : 0;
    int start = (padded ? 1 : 0) + ((flags & FLAG_PRIORITY) != 0 ? 5 : 0);
    ByteBuf buffer = Unpooled.wrappedBuffer(payload, start, payload.length - start - padLength);
    try {
      return decoder.decodeHeaders(streamId, buffer);
    } catch (Http2Exception e) {
      throw new IOException(e);
    } finally {
      buffer.release();
    }
  }

  /** Reads until a frame matches; fails at the end of the stream or after the socket's read timeout. */
  Frame await(String what, Predicate<Frame> match) throws IOException {
    for (Frame frame = read(); frame != null; frame = read()) {
      if (match.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("connection closed before " + what);
  }

  /**
   * True when the server ends the connection within {@code millis}: the stream ends (frames, a
   * GOAWAY included, are skipped) or is reset.
   */
  boolean closedWithin(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      while (read() != null) {
        // skip what the server still sends
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
