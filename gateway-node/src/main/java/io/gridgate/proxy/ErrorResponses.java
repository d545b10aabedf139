package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

/**
 * Writes the gateway's own answers: a status and a small JSON body {@code {error, message, request_id}},
 * or for a gRPC call a trailers-only gRPC error ({@link GrpcErrors}).
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /**
   * Answers a routed request; a gRPC call gets a gRPC error, and its record keeps {@code status}
   * as the outcome for metrics and the access log (the client sees HTTP 200).
   */
  static void send(RequestRecord record, int status, String error, String message, String requestId) {
    ClientRequest request = record.request();
    if (GrpcErrors.isGrpc(request) && !request.response().headWritten()) {
      record.answeredAs(status);
      GrpcErrors.send(request.response(), status, message, requestId);
    } else {
      send(request.response(), status, error, message, requestId);
    }
  }

  public static void send(ClientResponse response, int status, String error, String message, String requestId) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (requestId != null) {
      response.headers().set(RequestIds.HEADER, requestId);
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(error, message, requestId));
  }

  /** The JSON body of a gateway answer; {@code requestId} may be null. */
  static String body(String error, String message, String requestId) {
    JsonObject body = new JsonObject().put("error", error).put("message", message);
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    return body.encode();
  }
}
