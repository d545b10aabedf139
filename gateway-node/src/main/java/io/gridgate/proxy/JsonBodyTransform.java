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
 * body likewise before it goes back. A body that is JSON but not an object passes unchanged;
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
        .compose(v -> body.whole() == null
            ? Future.failedFuture(new BodyTransformException(413, "body_too_large", "request body exceeds " + limit
                + " bytes, the most route '" + ex.route.id() + "' reads to transform"))
            : edit(ex.route.requestBody(), body.whole(), 400, "invalid_json", "the request body is not valid JSON"));
  }

  /** Whether this upstream answer's body is read whole and changed before it goes back. */
  static boolean appliesToResponse(Exchange ex, UpstreamResponse upstream, boolean hasBody) {
    return hasBody && !ex.route.responseBody().isEmpty() && JsonMediaType.is(upstream.headers().get(HttpHeaders.CONTENT_TYPE));
  }

  /** The response body, changed; fails with 502 when it is encoded, too large, cut short or not JSON. */
  static Future<Buffer> response(Exchange ex, UpstreamCall call, UpstreamResponse upstream) {
    String upstreamName = call.pool().name();
    String encoding = upstream.headers().get(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      upstream.exceptionHandler(ignored -> { }); // unread: the reset that ends the exchange ends it
      return Future.failedFuture(new BodyTransformException(502, "response_not_transformable",
          "upstream '" + upstreamName + "' answered with Content-Encoding '" + encoding + "', so route '"
              + ex.route.id() + "' cannot transform the body"));
    }
    long limit = ex.route.spec().responseTransform().maxBodySize();
    return BodyCollector.collect(new BodySizeLimiter(upstream, limit), call::touch)
        .recover(failure -> Future.failedFuture(failure instanceof BodySizeLimiter.BodyTooLargeException
            ? new BodyTransformException(502, "response_too_large", "the response of upstream '" + upstreamName
                + "' exceeds " + limit + " bytes, the most route '" + ex.route.id() + "' reads to transform")
            : new BodyTransformException(502, "bad_gateway", "the response of upstream '" + upstreamName
                + "' was cut short: " + failure.getMessage())))
        .compose(body -> edit(ex.route.responseBody(), body, 502, "invalid_upstream_json",
            "upstream '" + upstreamName + "' answered with a JSON content type but a body that is not JSON"));
  }

  private static Future<Buffer> edit(JsonFieldEditor editor, Buffer body, int status, String error, String message) {
    if (body.length() == 0) {
      return Future.succeededFuture(body);
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      return Future.failedFuture(new BodyTransformException(status, error, message));
    }
    if (!(value instanceof JsonObject object)) {
      return Future.succeededFuture(body);
    }
    editor.apply(object);
    return Future.succeededFuture(object.toBuffer());
  }
}
