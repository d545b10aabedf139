package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Reads an upstream's answers on one pooled connection (RFC 9112), in place of Netty's response
 * decoder: each head is read from one copy of its bytes ({@link HeadFields}) and its body framed by
 * Content-Length, chunked coding or the connection's close, passed on as slices of the read buffers.
 * Emits Netty's message types: an {@code HttpResponse} (a {@link DecodedAnswerHead}), {@code HttpContent}s and a
 * {@code LastHttpContent} (with a chunked body's trailers). A malformed answer throws a
 * {@link MalformedAnswerException} (the exchange fails and the connection closes) and nothing more is read.
 * Used on its event loop only.
 */
final class ResponseDecoder extends ByteToMessageDecoder {
  private static final byte LF = '\n';
  /** The longest chunk-size line accepted (size, extensions and line end). */
  private static final int MAX_CHUNK_LINE = 4096;
  private static final int MAX_CHUNK_SIZE_DIGITS = 15;

  private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, OVER }

  private final int maxHeadSize;
  private final UpstreamConnection connection;
  private State state = State.HEAD;
  /** Bytes of the head or trailer section at the reader index already searched for its end. */
  private int scanned;
  private long remaining;

  /** Reads the answers to {@code connection}'s requests; {@code maxHeadSize} bounds a head's (and a trailer section's) bytes. */
  ResponseDecoder(int maxHeadSize, UpstreamConnection connection) {
    this.maxHeadSize = maxHeadSize;
    this.connection = connection;
  }

  /** Whether bytes that came after the last answer wait unread (the connection cannot carry another request). */
  boolean holdsBytes() {
    return internalBuffer().isReadable();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    try {
      switch (state) {
        case HEAD -> readHead(in, out);
        case FIXED -> readFixed(in, out);
        case CHUNK_SIZE -> readChunkSize(in);
        case CHUNK_DATA -> readChunkData(in, out);
        case CHUNK_END -> readChunkEnd(in);
        case TRAILERS -> readTrailers(in, out);
        case UNTIL_CLOSE -> out.add(new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
        case OVER -> in.skipBytes(in.readableBytes());
      }
    } catch (MalformedAnswerException e) {
      state = State.OVER;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (in.isReadable()) {
      decode(ctx, in, out);
    }
    if (state == State.UNTIL_CLOSE) { // the close ends a body framed by it; any other body is cut off
      state = State.OVER;
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  private void readHead(ByteBuf in, List<Object> out) {
    if (!connection.awaitsAnswer()) {
      throw new MalformedAnswerException("bytes from the upstream while no request was sent");
    }
    byte[] bytes = section(in, true);
    if (bytes == null) {
      return;
    }
    HeadFields head = HeadFields.parseHead(bytes);
    int status = head.status();
    if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      throw new MalformedAnswerException("an upgrade the gateway did not ask for");
    }
    State body = status < 200 || status == 204 || status == 304 || connection.awaitsAnswerToHead()
        ? State.HEAD // no body; after a 1xx (interim) the answer follows on
        : framing(head);
    out.add(new DecodedAnswerHead(head, HttpResponseStatus.valueOf(status, head.reason())));
    if (body == State.HEAD || (body == State.FIXED && head.contentLength() == 0)) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      remaining = head.contentLength();
      state = body;
    }
  }

  /** RFC 9112 section 6.3: chunked coding, else Content-Length, else the connection's close. */
  private static State framing(HeadFields head) {
    CharSequence transferEncoding = head.transferEncoding();
    if (transferEncoding != null) {
      if (head.contentLength() >= 0) {
        throw new MalformedAnswerException("an answer with both Transfer-Encoding and Content-Length");
      }
      return lastCodingIsChunked(transferEncoding) ? State.CHUNK_SIZE : State.UNTIL_CLOSE;
    }
    return head.contentLength() >= 0 ? State.FIXED : State.UNTIL_CLOSE;
  }

  private static boolean lastCodingIsChunked(CharSequence transferEncoding) {
    int comma = transferEncoding.length() - 1;
    while (comma >= 0 && transferEncoding.charAt(comma) != ',') {
      comma--;
    }
    CharSequence last = AsciiString.trim(transferEncoding.subSequence(comma + 1, transferEncoding.length()));
    return AsciiString.contentEqualsIgnoreCase(last, HttpHeaderValues.CHUNKED);
  }

  private void readFixed(ByteBuf in, List<Object> out) {
    int length = (int) Math.min(in.readableBytes(), remaining);
    if (length == 0) {
      return;
    }
    ByteBuf slice = in.readRetainedSlice(length);
    remaining -= length;
    if (remaining == 0) {
      state = State.HEAD;
      out.add(new DefaultLastHttpContent(slice, EmptyHttpHeaders.INSTANCE));
    } else {
      out.add(new DefaultHttpContent(slice));
    }
  }

  private void readChunkSize(ByteBuf in) {
    int lineEnd = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), MAX_CHUNK_LINE), LF);
    if (lineEnd < 0) {
      if (in.readableBytes() >= MAX_CHUNK_LINE) {
        throw new MalformedAnswerException("a chunk-size line over " + MAX_CHUNK_LINE + " bytes");
      }
      return;
    }
    long size = 0;
    int digits = 0;
    int index = in.readerIndex();
    for (; index < lineEnd; index++) {
      int digit = Character.digit((char) in.getByte(index), 16);
      if (digit < 0) {
        break;
      }
      if (++digits > MAX_CHUNK_SIZE_DIGITS) {
        throw new MalformedAnswerException("a chunk size over " + MAX_CHUNK_SIZE_DIGITS + " hex digits");
      }
      size = size * 16 + digit;
    }
    if (digits == 0) {
      throw new MalformedAnswerException("a chunk-size line without a size");
    }
    checkChunkExtensions(in, index, lineEnd);
    in.readerIndex(lineEnd + 1);
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      state = State.CHUNK_DATA;
    }
  }

  /** After the size: nothing, or whitespace and {@code ;} extensions (ignored) without control characters. */
  private static void checkChunkExtensions(ByteBuf in, int from, int lineEnd) {
    int end = lineEnd > from && in.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
    int index = from;
    while (index < end && (in.getByte(index) == ' ' || in.getByte(index) == '\t')) {
      index++;
    }
    if (index < end && in.getByte(index) != ';') {
      throw new MalformedAnswerException("a chunk size that is not hexadecimal");
    }
    for (; index < end; index++) {
      if (HeadFields.isControl(in.getByte(index))) {
        throw new MalformedAnswerException("a control character in a chunk extension");
      }
    }
  }

  private void readChunkData(ByteBuf in, List<Object> out) {
    int length = (int) Math.min(in.readableBytes(), remaining);
    if (length == 0) {
      return;
    }
    out.add(new DefaultHttpContent(in.readRetainedSlice(length)));
    remaining -= length;
    if (remaining == 0) {
      state = State.CHUNK_END;
    }
  }

  /** The line end after a chunk's data: CRLF (or a bare LF), nothing else. */
  private void readChunkEnd(ByteBuf in) {
    byte first = in.getByte(in.readerIndex());
    if (first == LF) {
      in.skipBytes(1);
    } else if (first != '\r') {
      throw new MalformedAnswerException("a chunk longer than its size");
    } else if (in.readableBytes() < 2) {
      return;
    } else if (in.getByte(in.readerIndex() + 1) != LF) {
      throw new MalformedAnswerException("a chunk longer than its size");
    } else {
      in.skipBytes(2);
    }
    state = State.CHUNK_SIZE;
  }

  private void readTrailers(ByteBuf in, List<Object> out) {
    byte[] bytes = section(in, false);
    if (bytes == null) {
      return;
    }
    state = State.HEAD;
    HeadFields trailers = HeadFields.parseTrailers(bytes);
    out.add(trailers.fields().isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
        : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers.fields()));
  }

  /** The bytes of the section at the reader index through its empty line (read), or null when it has not all arrived. */
  private byte[] section(ByteBuf in, boolean head) {
    int length = sectionLength(in, head);
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  /**
   * The length of the section at the reader index through the empty line that ends it, or -1 when
   * it has not all arrived; a section over the limit, or (for a head) one starting with an empty
   * line, is malformed. Resumes the search where the last call stopped.
   */
  private int sectionLength(ByteBuf in, boolean head) {
    int start = in.readerIndex();
    int limit = Math.min(in.readableBytes(), maxHeadSize);
    int from = scanned;
    while (true) {
      int lf = in.indexOf(start + from, start + limit, LF);
      if (lf < 0) {
        if (in.readableBytes() >= maxHeadSize) {
          throw new MalformedAnswerException((head ? "an answer head" : "a trailer section") + " over "
              + maxHeadSize + " bytes");
        }
        scanned = from;
        return -1;
      }
      int lineLength = lf - start - from;
      if (lineLength == 0 || (lineLength == 1 && in.getByte(lf - 1) == '\r')) {
        if (head && from == 0) {
          throw new MalformedAnswerException("an answer that starts with an empty line");
        }
        scanned = 0;
        return lf + 1 - start;
      }
      from = lf + 1 - start;
    }
  }
}
