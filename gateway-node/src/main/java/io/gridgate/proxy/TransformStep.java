package io.gridgate.proxy;

import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The route's JSON body transforms: a JSON request body is read whole and changed before the
 * terminal runs (the exchange waits, suspended); upstream requests ask for an unencoded answer when
 * the route changes response bodies, which the forwarder reads whole and changes
 * ({@link JsonBodyTransform}).
 */
final class TransformStep implements Step {
  /** Steps for the forwarded routes that change request or response bodies. */
  static final StepFactory FACTORY = route -> route.spec().compose() == null
      && (!route.requestBody().isEmpty() || !route.responseBody().isEmpty()) ? new TransformStep() : null;

  @Override
  public Next onRequest(Exchange ex) {
    if (!JsonBodyTransform.appliesToRequest(ex)) {
      return Next.CONTINUE;
    }
    JsonBodyTransform.request(ex).onComplete(ar -> {
      if (ex.isDone()) {
        return;
      }
      if (ar.succeeded()) {
        ex.body.replaceWith(ar.result());
        ex.resume();
      } else if (ar.cause() instanceof BodyTransformException refused) {
        ex.fail(refused.status, refused.error, refused.getMessage());
      } else {
        ex.clientBodyFailed(ar.cause());
      }
    });
    return Next.SUSPENDED;
  }

  @Override
  public void onUpstreamHead(Exchange ex, UpstreamPool pool, MultiMap headers) {
    if (!ex.route.responseBody().isEmpty()) {
      headers.set(HttpHeaders.ACCEPT_ENCODING, "identity"); // the route must read the answer's JSON
    }
  }
}
