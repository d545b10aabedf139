package io.gridgate.edge;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The HTTP versions the gateway serves on HTTP/1: {@code HTTP/1.0} and {@code HTTP/1.1} as sent,
 * {@code HTTP/1.2} to {@code HTTP/1.9} as HTTP/1.1 (RFC 9110 2.5: a higher minor version is
 * compatible); anything else is made a decoding failure, so Vert.x hands it to the server's
 * invalid-request handler (400) instead of answering 501 itself.
 */
final class HttpVersions {
  private HttpVersions() {}

  static void settle(HttpRequest request) {
    HttpVersion version = request.protocolVersion();
    // Netty returns its constants only for the exact texts "HTTP/1.1" and "HTTP/1.0"
    if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0 || request.decoderResult().isFailure()) {
      return;
    }
    if (isLaterHttp1(version)) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    } else {
      request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("unsupported HTTP version")));
    }
  }

  /**
   * HTTP/1.2 to HTTP/1.9. Netty's decoder upper-cases the version before parsing it, so a lower-case
   * {@code http/1.5} cannot be told apart here and is served as well; lower-case 1.0 and 1.1 are not
   * Netty's constants and are refused.
   */
  private static boolean isLaterHttp1(HttpVersion version) {
    return "HTTP".equals(version.protocolName()) && version.majorVersion() == 1
        && version.minorVersion() >= 2 && version.minorVersion() <= 9;
  }
}
