package io.gridgate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * A head rendered into an array of the event-loop thread's own, then copied into one buffer: each
 * field written straight into a direct buffer would check its bounds and reference count, about
 * forty times a head. Bytes come out as Vert.x's header encoder writes them (a char above 0xFF
 * becomes {@code ?}). One head at a time per thread: {@link #start} begins the next.
 */
final class HeadScratch {
  private static final int INITIAL_SIZE = 2048;
  private static final FastThreadLocal<HeadScratch> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected HeadScratch initialValue() {
      return new HeadScratch();
    }
  };

  private byte[] bytes = new byte[INITIAL_SIZE];
  private int length;

  private HeadScratch() {}

  /** This thread's scratch, emptied. */
  static HeadScratch start() {
    HeadScratch scratch = OF_THREAD.get();
    scratch.length = 0;
    return scratch;
  }

  HeadScratch put(byte b) {
    room(1);
    bytes[length++] = b;
    return this;
  }

  HeadScratch put(byte[] source) {
    room(source.length);
    System.arraycopy(source, 0, bytes, length, source.length);
    length += source.length;
    return this;
  }

  /** {@code text}'s chars as bytes, the low byte of each (above 0xFF: {@code ?}), as Vert.x and Netty write header text. */
  HeadScratch put(CharSequence text) {
    int size = text.length();
    room(size);
    if (text instanceof AsciiString ascii) {
      System.arraycopy(ascii.array(), ascii.arrayOffset(), bytes, length, size);
    } else {
      for (int i = 0; i < size; i++) {
        bytes[length + i] = AsciiString.c2b(text.charAt(i));
      }
    }
    length += size;
    return this;
  }

  /** {@code text} in UTF-8 (a request target as Netty's request encoder writes it). */
  HeadScratch putUtf8(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return put(text.getBytes(StandardCharsets.UTF_8));
      }
    }
    return put(text);
  }

  HeadScratch crlf() {
    room(2);
    bytes[length++] = '\r';
    bytes[length++] = '\n';
    return this;
  }

  /** Every field of {@code headers} in order, as {@code name: value} lines, then the empty line that ends the head. */
  HeadScratch fieldsAndEnd(HeadersMultiMap headers) {
    for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = headers.iteratorCharSequence(); fields.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      put(field.getKey());
      room(2);
      bytes[length++] = ':';
      bytes[length++] = ' ';
      put(field.getValue()).crlf();
    }
    return crlf();
  }

  /** A buffer of the bytes so far, followed by {@code body}'s readable bytes unless it is null (the caller still owns it). */
  ByteBuf toBuffer(ByteBufAllocator allocator, ByteBuf body) {
    int bodySize = body == null ? 0 : body.readableBytes();
    ByteBuf buffer = allocator.buffer(length + bodySize);
    buffer.writeBytes(bytes, 0, length);
    if (body != null) {
      buffer.writeBytes(body, body.readerIndex(), bodySize);
    }
    return buffer;
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
