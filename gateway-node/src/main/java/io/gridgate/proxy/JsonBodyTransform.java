package io.gridgate.proxy;

import io.gridgate.http.UpstreamResponse;
import io.gridgate.transform.JsonFieldEditor;
import io.gridgate.transform.JsonMediaType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A route's field operations on JSON bodies: a JSON request body is read whole (up to the route's
 * {@code request_transform.max_body_size}) and changed before it goes upstream; a JSON response
 * body, read whole by the terminal, likewise before it goes back ({@link TransformStep}). A body that is JSON but not an object passes unchanged;
 * the failures end the exchange with the status of their {@link BodyTransformException}.
 */
final class JsonBodyTransform {
  private JsonBodyTransform() {}

  /** Whether this request's body is read whole and changed before it goes upstream. */
  static boolean appliesToRequest(Exchange ex) {
    return ex.hasBody() && !ex.route.requestBody().isEmpty() && JsonMediaType.is(ex.request.getHeader(HttpHeaders.CONTENT_TYPE));
  }

  /**
   * The request body, read whole through the exchange's {@link RequestBody} and changed; fails with
   * 413 (over the transform's or the node's limit), 400 (not JSON) or 400 (not read whole).
   */
  static Future<Buffer> request(Exchange ex) {
    long limit = ex.route.spec().requestTransform().maxBodySize();
    RequestBody body = ex.body;
    return body.holdUpTo(limit)
        .recover(failure -> Future.failedFuture(failure instanceof BodySizeLimiter.BodyTooLargeException
            ? new BodyTransformException(413, "body_too_large", failure.getMessage())
            : new BodyTransformException(400, "incomplete_body", "the request body could not be read: " + failure.getMessage())))
        .map(v -> {
          if (body.whole() == null) {
            throw new BodyTransformException(413, "body_too_large", "request body exceeds " + limit
                + " bytes, the most route '" + ex.route.id() + "' reads to transform");
          }
          return edit(ex.route.requestBody(), body.whole(), 400, "invalid_json", "the request body is not valid JSON");
        });
  }

  /** Whether an upstream answer's body is JSON, which a route's response operations change. */
  static boolean appliesToResponse(UpstreamResponse upstream) {
    return JsonMediaType.is(upstream.headers().get(HttpHeaders.CONTENT_TYPE));
  }

  /** Refuses (502) an answer whose body is encoded: the route cannot read its JSON. */
  static void checkResponseEncoding(Exchange ex, UpstreamResponse upstream) {
    String encoding = upstream.headers().get(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      throw new BodyTransformException(502, "response_not_transformable", "upstream '" + ex.chain.pool().name()
          + "' answered with Content-Encoding '" + encoding + "', so route '" + ex.route.id() + "' cannot transform the body");
    }
  }

  /** The answer's JSON body, read whole, changed as the route says; throws (502) when it is not JSON. */
  static Buffer response(Exchange ex, Buffer body) {
    return edit(ex.route.responseBody(), body, 502, "invalid_upstream_json",
        "upstream '" + ex.chain.pool().name() + "' answered with a JSON content type but a body that is not JSON");
  }

  private static Buffer edit(JsonFieldEditor editor, Buffer body, int status, String error, String message) {
    if (body.length() == 0) {
      return body;
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new BodyTransformException(status, error, message);
    }
    if (!(value instanceof JsonObject object)) {
      return body;
    }
    editor.apply(object);
    return object.toBuffer();
  }
}
