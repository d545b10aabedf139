package io.gridgate.proxy;

import io.gridgate.http.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a relayed answer's body whole for the route's steps that change it (up to their limit),
 * restarting the call's idle clock as data arrives; an answer too large or cut short fails with the
 * 502 its {@link BodyTransformException} carries.
 */
final class WholeResponseBody {
  private WholeResponseBody() {}

  static Future<Buffer> read(Exchange ex, UpstreamCall call, UpstreamResponse upstream, long limit) {
    String upstreamName = call.pool().name();
    return BodyCollector.collect(new BodySizeLimiter(upstream, limit), call::touch)
        .recover(failure -> Future.failedFuture(failure instanceof BodySizeLimiter.BodyTooLargeException
            ? new BodyTransformException(502, "response_too_large", "the response of upstream '" + upstreamName
                + "' exceeds " + limit + " bytes, the most route '" + ex.route.id() + "' reads to transform")
            : new BodyTransformException(502, "bad_gateway", "the response of upstream '" + upstreamName
                + "' was cut short: " + failure.getMessage())));
  }
}
