package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * The route's JSON body transforms ({@link JsonBodyTransform}): a JSON request body is read whole
 * and changed before the terminal runs (the exchange waits, suspended); upstream requests ask for an
 * unencoded answer when the route changes response bodies, and a JSON answer is read whole by the
 * terminal (up to the route's limit) and changed here before any of it goes to the client.
 */
final class TransformStep implements Step {
  /** Steps for the forwarded routes that change request or response bodies. */
  static final StepFactory FACTORY = route -> route.spec().compose() == null
      && (!route.requestBody().isEmpty() || !route.responseBody().isEmpty())
      ? new TransformStep(!route.responseBody().isEmpty()) : null;

  private final boolean changesResponses;

  private TransformStep(boolean changesResponses) {
    this.changesResponses = changesResponses;
  }

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
  public void onUpstreamHead(Exchange ex, UpstreamPool pool, UpstreamRequest request) {
    if (changesResponses) {
      request.headers().set(HttpHeaders.ACCEPT_ENCODING, "identity"); // the route must read the answer's JSON
    }
  }

  @Override
  public boolean changesResponseBodies() {
    return changesResponses;
  }

  @Override
  public long wholeResponseBodyLimit(Exchange ex, UpstreamResponse upstream) {
    if (!changesResponses || !JsonBodyTransform.appliesToResponse(upstream)) {
      return -1;
    }
    JsonBodyTransform.checkResponseEncoding(ex, upstream);
    return ex.route.spec().responseTransform().maxBodySize();
  }

  @Override
  public Buffer onWholeResponseBody(Exchange ex, UpstreamResponse upstream, Buffer body) {
    return changesResponses && JsonBodyTransform.appliesToResponse(upstream) ? JsonBodyTransform.response(ex, body) : body;
  }
}
