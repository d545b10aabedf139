package io.gridgate.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/** Writes the gateway's own answers: a status and a small JSON body {@code {error, message, request_id}}. */
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

  public static void send(HttpServerResponse response, int status, String error, String message, String requestId) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    JsonObject body = new JsonObject().put("error", error).put("message", message);
    if (requestId != null) {
      body.put("request_id", requestId);
      response.headers().set(RequestIds.HEADER, requestId);
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }
}
