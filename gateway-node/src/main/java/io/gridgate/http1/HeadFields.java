package io.gridgate.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.nio.charset.StandardCharsets;

/**
 * An upstream answer's head, or a chunked body's trailer section, parsed from its bytes as strictly
 * as nginx reads upstream answers (RFC 9112): lines end with CRLF or a bare LF; a head starts with
 * {@code HTTP/1.0} or {@code HTTP/1.1}, one space, a status 100-599 and an optional reason; a field
 * name is a token followed directly by its colon; a value loses the whitespace around it and may hold
 * no control character but HTAB; obsolete line folding is refused; at most one Content-Length, a
 * decimal. Anything else is a {@link MalformedAnswerException}. The fields become a Vert.x header map
 * that checks only what is set on it later (these bytes were checked here).
 */
final class HeadFields {
  private static final int MAX_CONTENT_LENGTH_DIGITS = 18;
  private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
  /** RFC 9110's tchar: the bytes a field name may hold. */
  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[Character.toUpperCase(c)] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private final byte[] bytes;
  private final HeaderCheck check = new HeaderCheck(true);
  private final HeadersMultiMap fields = HeadersMultiMap.httpHeaders(check);
  private HttpVersion version;
  private int status;
  private String reason;
  private long contentLength = -1;
  private CharSequence transferEncoding;
  /** Where the next line starts, and where the line last read started. */
  private int position;
  private int lineStart;

  private HeadFields(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A head: its status line, then fields up to the empty line that ends {@code bytes}. */
  static HeadFields parseHead(byte[] bytes) {
    HeadFields head = new HeadFields(bytes);
    head.statusLine(head.lineEnd());
    head.fieldLines();
    return head;
  }

  /** A trailer section: fields up to the empty line that ends {@code bytes}. */
  static HeadFields parseTrailers(byte[] bytes) {
    HeadFields trailers = new HeadFields(bytes);
    trailers.fieldLines();
    return trailers;
  }

  HttpVersion version() {
    return version;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  HeadersMultiMap fields() {
    return fields;
  }

  /** The check of {@link #fields}: skipped for the parsed fields, on for whatever is set later. */
  HeaderCheck check() {
    return check;
  }

  /** The Content-Length, or -1 without one. */
  long contentLength() {
    return contentLength;
  }

  /** The Transfer-Encoding fields' values joined by commas, or null without any. */
  CharSequence transferEncoding() {
    return transferEncoding;
  }

  /** Whether {@code b} is a control character a value may not hold (all but HTAB, and DEL). */
  static boolean isControl(byte b) {
    return (b >= 0 && b < ' ' && b != '\t') || b == 0x7f;
  }

  /** The end of the next line (before its CRLF or LF); the line's start is then {@link #lineStart}. */
  private int lineEnd() {
    int lf = position;
    while (bytes[lf] != '\n') {
      lf++;
    }
    int end = lf > position && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    lineStart = position;
    position = lf + 1;
    return end;
  }

  private void statusLine(int end) {
    int start = lineStart;
    int versionEnd = start + HTTP_1.length + 1;
    if (end < versionEnd + 4 || !startsWithHttp1(start) || bytes[versionEnd] != ' ') {
      throw new MalformedAnswerException("an answer without an HTTP/1.x status line");
    }
    byte minor = bytes[versionEnd - 1];
    if (minor != '0' && minor != '1') {
      throw new MalformedAnswerException("an answer in an HTTP version other than 1.0 and 1.1");
    }
    version = minor == '1' ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
    int code = 0;
    for (int i = versionEnd + 1; i < versionEnd + 4; i++) {
      byte digit = bytes[i];
      if (digit < '0' || digit > '9') {
        throw new MalformedAnswerException("an answer whose status is not three digits");
      }
      code = code * 10 + digit - '0';
    }
    if (code < 100 || code > 599) {
      throw new MalformedAnswerException("an answer with status " + code);
    }
    status = code;
    int reasonStart = versionEnd + 4;
    if (reasonStart < end && bytes[reasonStart] != ' ') {
      throw new MalformedAnswerException("an answer whose status is not three digits");
    }
    reasonStart = Math.min(end, reasonStart + 1);
    for (int i = reasonStart; i < end; i++) {
      if (isControl(bytes[i])) {
        throw new MalformedAnswerException("a control character in an answer's reason phrase");
      }
    }
    reason = new String(bytes, reasonStart, end - reasonStart, StandardCharsets.ISO_8859_1);
  }

  private boolean startsWithHttp1(int start) {
    for (int i = 0; i < HTTP_1.length; i++) {
      if (bytes[start + i] != HTTP_1[i]) {
        return false;
      }
    }
    return true;
  }

  /** Field lines until the empty one. */
  private void fieldLines() {
    while (true) {
      int end = lineEnd();
      int start = lineStart;
      if (end == start) {
        check.checkFromNow();
        return;
      }
      field(start, end);
    }
  }

  private void field(int start, int end) {
    int colon = start;
    while (colon < end && bytes[colon] != ':') {
      byte b = bytes[colon];
      if (b < 0 || !TOKEN[b]) {
        throw new MalformedAnswerException(colon == start && (b == ' ' || b == '\t')
            ? "an answer with an obsolete line fold" : "an answer field whose name is not a token");
      }
      colon++;
    }
    if (colon == start || colon == end) {
      throw new MalformedAnswerException("an answer field without a name and a colon");
    }
    int valueStart = colon + 1;
    int valueEnd = end;
    while (valueStart < valueEnd && isWhitespace(bytes[valueStart])) {
      valueStart++;
    }
    while (valueEnd > valueStart && isWhitespace(bytes[valueEnd - 1])) {
      valueEnd--;
    }
    for (int i = valueStart; i < valueEnd; i++) {
      if (isControl(bytes[i])) {
        throw new MalformedAnswerException("a control character in an answer field's value");
      }
    }
    // views of this head's own bytes (a fresh array per head), not copies
    AsciiString name = new AsciiString(bytes, start, colon - start, false);
    AsciiString value = new AsciiString(bytes, valueStart, valueEnd - valueStart, false);
    if (is(name, HttpHeaderNames.CONTENT_LENGTH)) {
      contentLength(value);
    } else if (is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
      transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
    }
    fields.add(name, value);
  }

  private static boolean is(AsciiString name, AsciiString known) {
    return name.length() == known.length() && name.contentEqualsIgnoreCase(known);
  }

  private void contentLength(AsciiString value) {
    if (contentLength >= 0) {
      throw new MalformedAnswerException("an answer with more than one Content-Length");
    }
    if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
      throw new MalformedAnswerException("an answer whose Content-Length is not a length");
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      byte digit = value.byteAt(i);
      if (digit < '0' || digit > '9') {
        throw new MalformedAnswerException("an answer whose Content-Length is not a length");
      }
      length = length * 10 + digit - '0';
    }
    contentLength = length;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t';
  }
}
