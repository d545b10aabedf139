package io.gridgate.proxy;

import io.gridgate.upstream.Target;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends an exchange to a target of its pool over a pooled keep-alive connection (HTTP/1.1 or
 * HTTP/2), streaming both bodies with back-pressure, both at once, and passing the response's
 * trailers on; retries idempotent requests on another target after a connect
 * failure, 502 or 503, within the route's retry budget; enforces the route's timeouts. The
 * upstream's bulkhead and circuit breaker are passed first, and every attempt's outcome is
 * reported to the breaker.
 */
final class Forwarder {
  private final Consumer<Exchange> start = this::start;

  void forward(Exchange ex) {
    UpstreamGuard.admit(ex, true, start);
  }

  private void start(Exchange ex) {
    ex.startDeadlines();
    ex.response.closeHandler(v -> ex.clientGone());
    attempt(ex);
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
    Future<HttpClientRequest> request;
    try {
      request = ex.client.request(ex.requestTo(target));
    } catch (IllegalStateException closed) {
      // a push retired this upstream's client while the exchange was between attempts
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      ex.attemptFailed(502, UpstreamFailures.describe(target, closed));
      ex.failWithLastAttempt();
      return;
    }
    request.onComplete(ar -> {
      if (ar.failed()) {
        ex.attemptEnded(target, RequestRecord.NO_ANSWER);
        target.recordFailure(System.nanoTime());
        ex.attemptOutcome(false);
        ex.attemptFailed(UpstreamFailures.status(ar.cause()), UpstreamFailures.describe(target, ar.cause()));
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

  private void send(Exchange ex, Target target, HttpClientRequest upstream) {
    if (ex.isDone()) {
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      upstream.reset();
      return;
    }
    ex.upstream(upstream);
    upstream.response().onComplete(ar -> onResponse(ex, target, ar));
    if (!ex.hasBody) {
      upstream.end();
      return;
    }
    if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      upstream.setChunked(true);
    }
    ReadStream<Buffer> limited = ex.maxBodySize > 0 ? new BodySizeLimiter(ex.request, ex.maxBodySize) : ex.request;
    ReadStream<Buffer> body = ActivityTrackingStream.request(limited, ex);
    body.pipe().endOnFailure(false).to(upstream).onFailure(err -> {
      if (err instanceof BodySizeLimiter.BodyTooLargeException) {
        ErrorResponses.closeConnectionAfter(ex.request);
        ex.fail(413, "body_too_large", err.getMessage());
      } else {
        upstream.reset();
      }
    });
  }

  private void onResponse(Exchange ex, Target target, AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      ex.attemptEnded(target, RequestRecord.NO_ANSWER);
      if (!ex.isClientGone()) {
        target.recordFailure(System.nanoTime());
      }
      ex.attemptOutcome(false); // no-op once the client is gone: that is not the upstream's failure
      boolean timedOut = ar.cause() instanceof TimeoutException;
      ex.attemptFailed(timedOut ? 504 : 502, UpstreamFailures.describe(target, ar.cause()));
      // A pooled connection the target closed as the request went out fails before any answer:
      // a bodyless idempotent request is safe to send again.
      retryOrFail(ex, !timedOut && !ex.hasBody);
      return;
    }
    HttpClientResponse upstreamResponse = ar.result();
    int status = upstreamResponse.statusCode();
    if (status >= 500) {
      target.recordFailure(System.nanoTime());
    } else {
      target.recordSuccess();
    }
    ex.attemptOutcome(status < 500);
    if ((status == 502 || status == 503) && !ex.isDone() && ex.takeRetry(!ex.hasBody)) {
      ex.attemptEnded(target, RequestRecord.statusClass(status));
      ex.attemptFailed(status, "upstream '" + ex.pool.name() + "' target " + target + " answered " + status);
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

  private void relay(Exchange ex, Target target, HttpClientResponse upstreamResponse) {
    HttpServerResponse response = ex.response;
    response.setStatusCode(upstreamResponse.statusCode());
    String reason = upstreamResponse.statusMessage();
    if (!reason.equals(HttpResponseStatus.valueOf(upstreamResponse.statusCode()).reasonPhrase())) {
      response.setStatusMessage(reason); // only a non-standard phrase is worth Netty's slow path
    }
    HopByHopHeaders.copyEndToEnd(upstreamResponse.headers(), response.headers());
    ex.route.responseHeaders().apply(response.headers());
    ex.writeRateLimitHeaders(response.headers());
    ex.writePolicyResponseHeaders(response.headers());
    response.headers().set(RequestIds.HEADER, ex.requestId);
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasResponseBody(ex, upstreamResponse.statusCode())) {
      response.setChunked(true);
    }
    ex.touch();
    ReadStream<Buffer> body = ActivityTrackingStream.response(upstreamResponse, ex);
    body.pipe().endOnSuccess(false).endOnFailure(false).to(response).onComplete(done -> {
      ex.attemptEnded(target, RequestRecord.statusClass(upstreamResponse.statusCode()));
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

  private static boolean hasResponseBody(Exchange ex, int status) {
    return ex.request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
