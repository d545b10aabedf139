package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * The bytes of a whole answer framed by its Content-Length (or without a body), in place of the
 * HTTP encoder: status line, the header map as Vert.x renders it, the empty line, and a small body
 * copied in, so a small answer is one buffer.
 */
final class AnswerBytes {
  /** A body up to this size is copied into the head's buffer. */
  static final int INLINE_BODY = 8192;

  private AnswerBytes() {}

  /** The head, followed by {@code body}'s bytes unless it is null (the caller still owns it). */
  static ByteBuf head(ByteBufAllocator allocator, HttpVersion version, HttpResponseStatus status,
      HeadersMultiMap headers, ByteBuf body) {
    return HeadScratch.start()
        .put(version.text()).put((byte) ' ')
        .put(status.codeAsText()).put((byte) ' ')
        .put(status.reasonPhrase()).crlf()
        .fieldsAndEnd(headers)
        .toBuffer(allocator, body);
  }
}
