package io.gridgate.proxy;

import io.gridgate.upstream.Target;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.gridgate.http.ClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends an exchange to a target of its pool over a pooled keep-alive connection (HTTP/1.1 or
 * HTTP/2), streaming both bodies with back-pressure, both at once, and passing the response's
 * trailers on; retries idempotent requests on another target after a connect
 * failure, 502 or 503, within the route's retry budget; enforces the route's timeouts. The
 * upstream's bulkhead and circuit breaker are passed first, and every attempt's outcome is
 * reported to the breaker. On a route with {@code request_buffering}, the start of the request
 * body is held before a target is called: a body that ends within it goes out whole with its
 * {@code Content-Length} (and can be sent again), a longer one streams after what was held.
 */
final class Forwarder {
  private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());
  private final Consumer<Exchange> start = this::start;

  void forward(Exchange ex) {
    UpstreamGuard.admit(ex, true, start);
  }

  private void start(Exchange ex) {
    ex.response.closeHandler(v -> ex.clientGone());
    readBody(ex).onComplete(ar -> {
      if (ex.isDone()) {
        return;
      }
      if (ar.failed()) {
        bodyFailed(ex, ar.cause());
        return;
      }
      ex.startDeadlines(); // the route's clocks count from the first attempt; reading the body is the body clock's
      attempt(ex);
    });
  }

  /**
   * What is read of the client's body before a target is called: all of it (changed) when the route
   * transforms it, its start when the route buffers bodies, else nothing.
   */
  private static Future<Void> readBody(Exchange ex) {
    if (JsonBodyTransform.appliesToRequest(ex)) {
      return JsonBodyTransform.request(ex).map(body -> {
        ex.transformedBody(body);
        return null;
      });
    }
    return ex.hasBody && ex.route.spec().requestBuffering() ? ex.body.buffer() : Future.succeededFuture();
  }

  private static void bodyFailed(Exchange ex, Throwable failure) {
    if (failure instanceof BodyTransformException refused) {
      ex.fail(refused.status, refused.error, refused.getMessage());
    } else {
      ex.clientBodyFailed(failure);
    }
  }

  private void attempt(Exchange ex) {
    Target target = ex.pool.pick(ex.request, ex.clientAddress, ex.tried());
    if (target == null) {
      ex.failWithLastAttempt();
      return;
    }
    ex.markTried(target);
    ex.attemptStarted(target);
    ex.touch();
    Future<UpstreamRequest> request;
    try {
      request = ex.client.request(ex.requestTo(target));
    } catch (IllegalStateException closed) {
      // a push retired this upstream's client while the exchange was between attempts
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      ex.attemptFailed(502, UpstreamFailures.describe(ex, target, closed));
      ex.failWithLastAttempt();
      return;
    }
    request.onComplete(ar -> {
      if (ar.failed()) {
        ex.attemptEnded(target, RequestRecord.NO_ANSWER);
        target.recordFailure(System.nanoTime());
        ex.attemptOutcome(false);
        ex.attemptFailed(UpstreamFailures.status(ar.cause()), UpstreamFailures.describe(ex, target, ar.cause()));
        retryOrFail(ex, true);
      } else {
        send(ex, target, ar.result());
      }
    });
  }

  private void retryOrFail(Exchange ex, boolean replayable) {
    if (ex.takeRetry(replayable)) {
      attempt(ex);
    } else {
      ex.failWithLastAttempt();
    }
  }

  private void send(Exchange ex, Target target, UpstreamRequest upstream) {
    if (ex.isDone()) {
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      // the client went away (e.g. reset its stream) while a connection was taken: without a handler,
      // Vert.x would log this reset of our own as a SEVERE "Stream reset" line
      upstream.exceptionHandler(ignored -> { });
      upstream.reset();
      return;
    }
    try {
      ex.upstream(upstream);
      sendBody(ex, upstream);
    } catch (Exception e) { // a head the upstream's protocol cannot carry
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      if (upstream.version() != HttpVersion.HTTP_2) {
        upstream.closeConnection(); // a head write that threw half-way can leave the connection's write queue stuck
      }
      headFailed(ex, "request head to", target, e);
      return;
    }
    upstream.response().onComplete(ar -> onResponse(ex, target, ar));
  }

  /** Ends the request (with its body, when it has one); a streamed body's head is sent at once, so a bad head fails here. */
  private static void sendBody(Exchange ex, UpstreamRequest upstream) {
    Buffer whole = ex.wholeBody();
    if (!ex.hasBody || whole != null && whole.length() == 0) {
      upstream.end(); // an HTTP/2 request whose stream ended without data has no body either
      return;
    }
    if (whole != null) {
      upstream.headers().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(whole.length()));
      upstream.end(whole);
      return;
    }
    if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      upstream.setChunked(true);
    }
    upstream.sendHead();
    ex.body.streamTo(upstream).onFailure(ex::clientBodyFailed);
  }

  /**
   * Writing a request head upstream, or copying an answer's head to the client, threw. The client's
   * input was checked before routing, so this is the gateway's own failure (e.g. a route's header
   * value one protocol allows and the other refuses): logged, answered 502, and the upstream request
   * reset so its pooled connection is released.
   */
  private static void headFailed(Exchange ex, String what, Target target, Exception e) {
    LOG.log(Level.WARNING, "route '" + ex.route.id() + "': could not write the " + what + " upstream '"
        + ex.pool.name() + "' target " + target, e);
    ex.response.headers().clear();
    if (ex.hasBody) {
      ex.request.response().closeConnectionAfter(); // the unread body cannot be skipped
    }
    ex.fail(502, "bad_gateway", "the gateway could not relay the exchange with upstream '" + ex.pool.name() + "'");
  }

  private void onResponse(Exchange ex, Target target, AsyncResult<UpstreamResponse> ar) {
    if (ar.failed()) {
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      if (!ex.isClientsFault()) {
        target.recordFailure(System.nanoTime());
      }
      ex.attemptOutcome(false); // no-op once the exchange ended for the client's sake: not the upstream's failure
      boolean timedOut = ar.cause() instanceof TimeoutException;
      ex.attemptFailed(timedOut ? 504 : 502, UpstreamFailures.describe(ex, target, ar.cause()));
      // A pooled connection the target closed as the request went out fails before any answer:
      // a bodyless idempotent request is safe to send again.
      retryOrFail(ex, !timedOut && ex.isReplayable());
      return;
    }
    UpstreamResponse upstreamResponse = ar.result();
    int status = upstreamResponse.statusCode();
    if (status >= 500) {
      target.recordFailure(System.nanoTime());
    } else {
      target.recordSuccess();
    }
    ex.attemptOutcome(status < 500);
    if ((status == 502 || status == 503) && !ex.isDone() && ex.takeRetry(ex.isReplayable())) {
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      ex.attemptFailed(status, "upstream '" + ex.pool.name() + "' answered " + status);
      attempt(ex);
      return;
    }
    if (ex.isDone()) {
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      upstreamResponse.request().reset();
      return;
    }
    relay(ex, target, upstreamResponse);
  }

  private void relay(Exchange ex, Target target, UpstreamResponse upstreamResponse) {
    int status = upstreamResponse.statusCode();
    boolean hasBody = hasResponseBody(ex, status);
    if (JsonBodyTransform.appliesToResponse(ex, upstreamResponse, hasBody)) {
      relayTransformed(ex, target, upstreamResponse);
      return;
    }
    ClientResponse response = ex.response;
    if (!copyUpstreamHead(ex, target, upstreamResponse)) {
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      return;
    }
    ReadStream<Buffer> body = ex.cachedBody(status, response.headers(), ActivityTrackingStream.response(upstreamResponse, ex));
    ex.writeGatewayResponseHeaders(ex.response.headers());
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasBody) {
      response.setChunked(true);
    }
    ex.touch();
    body.pipe().endOnSuccess(false).endOnFailure(false).to(response).onComplete(done -> {
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      ex.finish();
      if (done.failed()) {
        response.reset();
        upstreamResponse.request().reset();
      } else {
        // HTTP/2 trailers (gRPC's status) and HTTP/1.1 chunked trailers, read once the body ended
        HopByHopHeaders.copyEndToEnd(upstreamResponse.trailers(), response.trailers());
        response.end();
      }
    });
  }

  /** Reads the JSON answer whole, changes it as the route says, then sends (and caches) it with its new length. */
  private void relayTransformed(Exchange ex, Target target, UpstreamResponse upstreamResponse) {
    ex.touch();
    JsonBodyTransform.response(ex, upstreamResponse).onComplete(ar -> {
      int status = upstreamResponse.statusCode();
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      if (ex.isDone()) {
        return;
      }
      if (ar.failed()) {
        BodyTransformException failure = (BodyTransformException) ar.cause();
        ex.fail(failure.status, failure.error, failure.getMessage());
        return;
      }
      Buffer body = ar.result();
      if (!copyUpstreamHead(ex, target, upstreamResponse)) {
        return;
      }
      ex.response.headers().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
      ex.cachedWhole(status, ex.response.headers(), body);
      ex.writeGatewayResponseHeaders(ex.response.headers());
      ex.finish();
      ex.response.end(body);
    });
  }

  /**
   * Copies the upstream's status and end-to-end headers with the route's response header operations
   * (what a cache stores); false when the client's protocol cannot carry them, the exchange then failed.
   */
  private static boolean copyUpstreamHead(Exchange ex, Target target, UpstreamResponse upstreamResponse) {
    ClientResponse response = ex.response;
    try {
      HopByHopHeaders.copyEndToEnd(upstreamResponse.headers(), response.headers());
      ex.route.responseHeaders().apply(response.headers());
    } catch (Exception e) { // e.g. a route's header value the client's protocol refuses
      upstreamResponse.exceptionHandler(ignored -> {
        // the upstream request is reset below, failing the unread body nobody will read
      });
      headFailed(ex, "answer head from", target, e);
      return false;
    }
    response.setStatusCode(upstreamResponse.statusCode());
    String reason = upstreamResponse.statusMessage();
    if (!reason.equals(HttpResponseStatus.valueOf(upstreamResponse.statusCode()).reasonPhrase())) {
      response.setStatusMessage(reason); // only a non-standard phrase is worth Netty's slow path
    }
    return true;
  }

  private static boolean hasResponseBody(Exchange ex, int status) {
    return ex.request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
