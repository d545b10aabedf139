package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.security.Refusal;
import io.vertx.core.MultiMap;

/**
 * The one door every answer of a routed exchange goes through, whoever gives it (the upstream, the
 * cache, a refusing step, the gateway's own errors, a WebSocket handshake, a composition): its head
 * passes the route's steps' response side (route response headers, rate-limit headers, CORS and
 * other policy headers, cache status), then gets the request id, so every answer of a route carries
 * the same headers.
 */
final class Answers {
  private Answers() {}

  /** Completes the head of an answer of {@code status} in the response's headers; may throw when the client's protocol refuses a value. */
  static void head(Exchange ex, int status) {
    ex.chain.responseHead(ex, status, ex.response());
    ex.response().setChecked(RequestIds.NAME, ex.requestId()); // well-formed by RequestIds' rule
  }

  /** A step's refusal: its JSON error, or (below 300, a CORS preflight) its headers only. */
  static void refusal(Exchange ex, Refusal refusal) {
    ClientResponse response = ex.response();
    refusal.headers().forEach(response::putHeader);
    if (refusal.status() >= 300) {
      error(ex, refusal.status(), refusal.error(), refusal.message());
      return;
    }
    gatewayHead(ex, refusal.status());
    response.setStatusCode(refusal.status()).end();
  }

  /** The gateway's error answer (a gRPC error for a gRPC call), or a reset once the answer has started. */
  static void error(Exchange ex, int status, String error, String message) {
    ClientResponse response = ex.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    gatewayHead(ex, status);
    ErrorResponses.send(ex.record, status, error, message, ex.requestId());
  }

  /**
   * The head of an answer the gateway writes itself. A route header the client's protocol refuses
   * (already answered 502 and logged where the upstream's answer was relayed) leaves the answer with
   * the gateway's own headers only.
   */
  private static void gatewayHead(Exchange ex, int status) {
    MultiMap headers = ex.response().headers();
    try {
      head(ex, status);
    } catch (RuntimeException refusedByProtocol) {
      headers.clear();
      ex.response().setChecked(RequestIds.NAME, ex.requestId());
    }
  }
}
