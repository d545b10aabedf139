package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own errors for gRPC calls (content-type {@code application/grpc} or
 * {@code application/grpc+*}): HTTP 200 and a trailers-only response whose {@code grpc-status}
 * follows gRPC's HTTP-to-gRPC mapping, with the gateway's refusals made precise (429 is
 * RESOURCE_EXHAUSTED, 504 DEADLINE_EXCEEDED), and whose {@code grpc-message} is percent-encoded.
 */
final class GrpcErrors {
  private static final String GRPC = "application/grpc";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcErrors() {}

  /** True for a gRPC call: content-type {@code application/grpc}, optionally {@code +format} or parameters. */
  static boolean isGrpc(ClientRequest request) {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.regionMatches(true, 0, GRPC, 0, GRPC.length())) {
      return false;
    }
    return type.length() == GRPC.length() || type.charAt(GRPC.length()) == '+' || type.charAt(GRPC.length()) == ';';
  }

  /** The gRPC status code of a gateway error of HTTP {@code status}. */
  static int grpcStatus(int status) {
    return switch (status) {
      case 400 -> 13; // INTERNAL
      case 401 -> 16; // UNAUTHENTICATED
      case 403 -> 7; // PERMISSION_DENIED
      case 404, 405 -> 12; // UNIMPLEMENTED: no route for this method
      case 413, 429 -> 8; // RESOURCE_EXHAUSTED
      case 500 -> 13; // INTERNAL
      case 502, 503 -> 14; // UNAVAILABLE
      case 504 -> 4; // DEADLINE_EXCEEDED
      default -> 2; // UNKNOWN
    };
  }

  /** Ends {@code response} as a trailers-only gRPC answer for a gateway error of HTTP {@code status}. */
  static void send(ClientResponse response, int status, String message, String requestId) {
    response.setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, GRPC)
        .putHeader("grpc-status", Integer.toString(grpcStatus(status)))
        .putHeader("grpc-message", percentEncode(message));
    if (requestId != null) {
      response.headers().set(RequestIds.HEADER, requestId);
    }
    response.end();
  }

  /** {@code message} as gRPC sends it: UTF-8, bytes outside printable ASCII and '%' as {@code %XX}. */
  static String percentEncode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b <= 0x7E && b != '%') {
        out.append((char) b);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
    }
    return out.toString();
  }
}
