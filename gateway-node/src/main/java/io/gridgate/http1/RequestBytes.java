package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a request to an upstream, in place of Netty's request encoder: the head (request
 * line, the header map as Vert.x renders it, the empty line; see {@link HeadScratch}), and a body's
 * pieces in chunked framing. A small body goes in the head's buffer.
 */
final class RequestBytes {
  private static final byte[] VERSION_AND_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};
  private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());
  /** A body up to this size is copied into its head's buffer (one write instead of two). */
  static final int INLINE_BODY = 2048;

  private RequestBytes() {}

  /**
   * The head of a request for {@code uri} (origin-form, {@link #isSendable}; the root when empty),
   * followed by {@code body} when one is given (its bytes are copied: the caller still owns it).
   */
  static ByteBuf head(ByteBufAllocator allocator, HttpMethod method, String uri, HeadersMultiMap headers, ByteBuf body) {
    return HeadScratch.start()
        .put(method.asciiName()).put((byte) ' ')
        .putUtf8(uri.isEmpty() ? "/" : uri).put(VERSION_AND_CRLF)
        .fieldsAndEnd(headers)
        .toBuffer(allocator, body);
  }

  /** The line before a chunk of {@code size} bytes. */
  static ByteBuf chunkSize(ByteBufAllocator allocator, int size) {
    ByteBuf line = allocator.buffer(10);
    ByteBufUtil.writeAscii(line, Integer.toHexString(size));
    return line.writeBytes(CRLF);
  }

  /** The line end after a chunk's data. */
  static ByteBuf chunkEnd() {
    return Unpooled.wrappedBuffer(CRLF);
  }

  /** The last chunk of a chunked body (no trailers). */
  static ByteBuf lastChunk() {
    return LAST_CHUNK.duplicate();
  }

  /** Whether {@code uri} can be a request line's target: a space or a control character would split the request. */
  static boolean isSendable(String uri) {
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
