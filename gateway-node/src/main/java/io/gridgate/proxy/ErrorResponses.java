package io.gridgate.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes the gateway's own answers: a status and a small JSON body {@code {error, message, request_id}}. */
public final class ErrorResponses {
  private ErrorResponses() {}

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
