package io.gridgate.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The heads the core renders itself (AnswerBytes, RequestBytes through HeadScratch) hold exactly the
 * bytes Vert.x's header encoder writes for the same map, views of decoded bytes and strings alike,
 * in order, however long.
 */
class HeadBytesTest {
  private static final ByteBufAllocator ALLOCATOR = ByteBufAllocator.DEFAULT;

  @Test
  void anAnswerHeadHoldsTheStatusLineThenTheFieldsAsVertxEncodesThem() {
    HeadersMultiMap headers = sampleFields();
    ByteBuf body = Unpooled.copiedBuffer("{\"a\":1}", StandardCharsets.US_ASCII);
    ByteBuf bytes = AnswerBytes.head(ALLOCATOR, HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(404), headers, body);
    try {
      assertEquals("HTTP/1.1 404 Not Found\r\n" + vertxRendering(headers) + "\r\n{\"a\":1}", latin1(bytes));
      assertEquals(0, body.readerIndex(), "the body is copied, not consumed");
    } finally {
      bytes.release();
      body.release();
    }
  }

  @Test
  void aRequestHeadWritesItsTargetInUtf8LikeNettysEncoder() {
    HeadersMultiMap headers = sampleFields();
    ByteBuf bytes = RequestBytes.head(ALLOCATOR, HttpMethod.GET, "/caf\u00e9?q=\u20ac", headers, null);
    try {
      byte[] expectedLine = "GET /caf\u00e9?q=\u20ac HTTP/1.1\r\n".getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[bytes.readableBytes()];
      bytes.getBytes(0, all);
      assertEquals(new String(expectedLine, StandardCharsets.ISO_8859_1) + vertxRendering(headers) + "\r\n",
          new String(all, StandardCharsets.ISO_8859_1));
    } finally {
      bytes.release();
    }
  }

  @Test
  void anEmptyTargetIsTheRootAndAnEmptyMapEndsTheHeadAtOnce() {
    ByteBuf bytes = RequestBytes.head(ALLOCATOR, HttpMethod.HEAD, "", HeadersMultiMap.httpHeaders(), null);
    try {
      assertEquals("HEAD / HTTP/1.1\r\n\r\n", latin1(bytes));
    } finally {
      bytes.release();
    }
  }

  @Test
  void aHeadLongerThanTheScratchArrayGrowsItAndTheNextHeadStartsEmpty() {
    HeadersMultiMap big = HeadersMultiMap.httpHeaders();
    big.add("x-big", "v".repeat(10_000));
    big.add("x-after", "1");
    ByteBuf first = AnswerBytes.head(ALLOCATOR, HttpVersion.HTTP_1_0, HttpResponseStatus.OK, big, null);
    HeadersMultiMap small = HeadersMultiMap.httpHeaders();
    small.add("x-small", "2");
    ByteBuf second = AnswerBytes.head(ALLOCATOR, HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, small, null);
    try {
      assertEquals("HTTP/1.0 200 OK\r\n" + vertxRendering(big) + "\r\n", latin1(first));
      assertEquals("HTTP/1.1 204 No Content\r\nx-small: 2\r\n\r\n", latin1(second));
    } finally {
      first.release();
      second.release();
    }
  }

  /** Names and values as the core meets them: views of a decoded head's array, strings, and text beyond ASCII. */
  private static HeadersMultiMap sampleFields() {
    byte[] decoded = "xxContent-Type: application/json".getBytes(StandardCharsets.US_ASCII);
    HeadersMultiMap headers = HeadersMultiMap.caseInsensitive(); // no checks: the rendering of any text is pinned
    headers.add(new AsciiString(decoded, 2, 12, false), new AsciiString(decoded, 16, 16, false));
    headers.add("X-Request-Id", "abc-123");
    headers.add("Set-Cookie", "a=1");
    headers.add("Set-Cookie", "b=2");
    headers.add(AsciiString.cached("x-latin"), "caf\u00e9"); // obs-text: its one byte
    headers.add("x-wide", "\u20ac"); // above 0xFF: '?', as Vert.x writes it
    return headers;
  }

  private static String vertxRendering(HeadersMultiMap headers) {
    ByteBuf reference = Unpooled.buffer();
    try {
      headers.encode(reference, false);
      return latin1(reference);
    } finally {
      reference.release();
    }
  }

  private static String latin1(ByteBuf bytes) {
    return bytes.toString(bytes.readerIndex(), bytes.readableBytes(), StandardCharsets.ISO_8859_1);
  }
}
