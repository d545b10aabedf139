package io.gridgate.edge;

import java.util.ArrayList;
import java.util.List;

/** Raw HTTP/1.1 request text for the edge battery's tables, built from lines so the odd bytes stand out. */
final class EdgeRequests {
  static final String HOST = "Host: gw.test";
  /** A complete request that must never reach the upstream when it rides inside another's body. */
  static final String SMUGGLED = "GET /app/smuggled HTTP/1.1\r\nHost: gw.test\r\n\r\n";

  private EdgeRequests() {}

  /** {@code requestLine} and {@code headerLines}, each ended by CRLF, then the empty line. */
  static String head(String requestLine, String... headerLines) {
    StringBuilder out = new StringBuilder(requestLine).append("\r\n");
    for (String line : headerLines) {
      out.append(line).append("\r\n");
    }
    return out.append("\r\n").toString();
  }

  /** {@code GET target HTTP/1.1} with {@link #HOST} and {@code headerLines}. */
  static String get(String target, String... headerLines) {
    return head("GET " + target + " HTTP/1.1", withHost(headerLines));
  }

  /** {@code POST target HTTP/1.1} with {@link #HOST}, {@code headerLines} (the framing is the caller's), then {@code body}. */
  static String post(String target, String body, String... headerLines) {
    return head("POST " + target + " HTTP/1.1", withHost(headerLines)) + body;
  }

  /** A POST whose Content-Length is {@code body}'s length. */
  static String postWithLength(String target, String body, String... headerLines) {
    List<String> lines = new ArrayList<>(List.of(headerLines));
    lines.add("Content-Length: " + body.length());
    return post(target, body, lines.toArray(String[]::new));
  }

  /** A POST with {@code Transfer-Encoding: chunked} and {@code body} as written (chunk framing included). */
  static String postChunked(String target, String body) {
    return post(target, body, "Transfer-Encoding: chunked");
  }

  private static String[] withHost(String... headerLines) {
    String[] lines = new String[headerLines.length + 1];
    lines[0] = HOST;
    System.arraycopy(headerLines, 0, lines, 1, headerLines.length);
    return lines;
  }
}
