package io.gridgate.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.VertxConnection;

/**
 * Writes the gateway's own answers: a status and a small JSON body {@code {error, message, request_id}},
 * or for a gRPC call a trailers-only gRPC error ({@link GrpcErrors}).
 */
public final class ErrorResponses {
  private ErrorResponses() {}

  /**
   * Asks for the client connection to be closed after the answer, for answers sent before the
   * request body was read. Only HTTP/1.x has such a header; on HTTP/2 it is illegal (the peer
   * resets the stream) and ending the stream is enough.
   */
  static void closeConnectionAfter(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_2) {
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
  }

  /**
   * Writes what was written on the request's connection to the socket at once, rather than when the
   * current read ends (Vert.x batches writes made while reading), for an answer whose connection is
   * about to be closed.
   */
  static void flushNow(HttpServerRequest request) {
    if (request.connection() instanceof VertxConnection connection) {
      connection.flush();
    }
  }

  /**
   * Answers a routed request; a gRPC call gets a gRPC error, and its record keeps {@code status}
   * as the outcome for metrics and the access log (the client sees HTTP 200).
   */
  static void send(RequestRecord record, int status, String error, String message, String requestId) {
    HttpServerRequest request = record.request();
    if (GrpcErrors.isGrpc(request) && !request.response().headWritten()) {
      record.answeredAs(status);
      GrpcErrors.send(request.response(), status, message, requestId);
    } else {
      send(request.response(), status, error, message, requestId);
    }
  }

  public static void send(HttpServerResponse response, int status, String error, String message, String requestId) {
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
