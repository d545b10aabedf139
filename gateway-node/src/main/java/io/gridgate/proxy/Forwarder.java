package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.upstream.Target;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.streams.ReadStream;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The terminal of a forwarded route: sends the exchange to a target of its upstream through one
 * {@link UpstreamCall} (bulkhead, circuit breaker, retries, deadlines) over a pooled keep-alive
 * connection (HTTP/1.1 or HTTP/2), streaming both bodies with back-pressure, both at once, and
 * passing the response's trailers on; retries idempotent requests on another target after a connect
 * failure, 502 or 503, within the route's retry budget. A WebSocket upgrade goes to the
 * {@link WebSocketForwarder}. On a route with {@code request_buffering}, the start of the request
 * body is held before a target is called: a body that ends within it goes out whole with its
 * {@code Content-Length} (and can be sent again), a longer one streams after what was held.
 */
final class Forwarder implements Terminal {
  private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(
      HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  private final RequestObserver observer;
  private final WebSocketForwarder webSockets;

  Forwarder(RequestObserver observer) {
    this.observer = observer;
    this.webSockets = new WebSocketForwarder(observer);
  }

  @Override
  public void start(Exchange ex) {
    if (ex.request.canUpgradeToWebSocket()) {
      webSockets.start(ex);
      return;
    }
    int retries = IDEMPOTENT.contains(ex.request.method()) ? ex.route.spec().retries().attempts() : 0;
    UpstreamCall call = new UpstreamCall(ex, ex.chain.pool(), ex.loop.clients().forPool(ex.chain.pool()), observer, retries);
    ex.call(call);
    call.admitThen(() -> admitted(ex, call));
  }

  private void admitted(Exchange ex, UpstreamCall call) {
    if (ex.isDone()) {
      return;
    }
    ex.response().closeHandler(v -> ex.clientGone());
    readBody(ex).onComplete(ar -> {
      if (ex.isDone()) {
        return;
      }
      if (ar.failed()) {
        ex.clientBodyFailed(ar.cause());
        return;
      }
      call.startDeadlines(); // the route's clocks count from the first attempt; reading the body is the body clock's
      attempt(ex, call);
    });
  }

  /** The start of the client's body, held before a target is called when the route buffers bodies. */
  private static Future<Void> readBody(Exchange ex) {
    return ex.hasBody() && ex.body.whole() == null && ex.route.spec().requestBuffering()
        ? ex.body.buffer() : Future.succeededFuture();
  }

  private void attempt(Exchange ex, UpstreamCall call) {
    Target target = call.pick();
    if (target == null) {
      call.failWithLastAttempt();
      return;
    }
    call.open(target, call.options(target, ex.request.method(), ex.chain.upstreamUri(ex))).onComplete(ar -> {
      if (ar.failed()) {
        call.attemptEnded(target, RequestRecord.NO_ANSWER);
        call.noAnswer(target, ar.cause());
        retryOrFail(ex, call, true);
      } else {
        send(ex, call, target, ar.result());
      }
    });
  }

  private void retryOrFail(Exchange ex, UpstreamCall call, boolean replayable) {
    if (call.takeRetry(replayable)) {
      attempt(ex, call);
    } else {
      call.failWithLastAttempt();
    }
  }

  private void send(Exchange ex, UpstreamCall call, Target target, UpstreamRequest upstream) {
    if (ex.isDone()) {
      call.attemptEnded(target, RequestRecord.NO_ANSWER);
      // the client went away (e.g. reset its stream) while a connection was taken: the exception
      // handler the call set keeps Vert.x from logging this reset of our own as SEVERE
      upstream.reset();
      return;
    }
    try {
      call.writeHeaders(upstream);
      sendBody(ex, upstream);
    } catch (Exception e) { // a head the upstream's protocol cannot carry
      call.attemptEnded(target, RequestRecord.NO_ANSWER);
      if (upstream.version() != HttpVersion.HTTP_2) {
        upstream.closeConnection(); // a head write that threw half-way can leave the connection's write queue stuck
      }
      headFailed(ex, call, "request head to", target, e);
      return;
    }
    upstream.response().onComplete(ar -> onResponse(ex, call, target, ar));
  }

  /** Ends the request (with its body, when it has one); a streamed body's head is sent at once, so a bad head fails here. */
  private static void sendBody(Exchange ex, UpstreamRequest upstream) {
    Buffer whole = ex.hasBody() ? ex.body.whole() : null;
    if (!ex.hasBody() || whole != null && whole.length() == 0) {
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

  /** Whether the request can be sent again: it has no body, or one the gateway holds whole. */
  private static boolean isReplayable(Exchange ex) {
    return !ex.hasBody() || ex.body.whole() != null;
  }

  /**
   * Writing a request head upstream, or copying an answer's head to the client, threw. The client's
   * input was checked before routing, so this is the gateway's own failure (e.g. a route's header
   * value one protocol allows and the other refuses): logged, answered 502, and the upstream request
   * reset so its pooled connection is released.
   */
  private static void headFailed(Exchange ex, UpstreamCall call, String what, Target target, Exception e) {
    LOG.log(Level.WARNING, "route '" + ex.route.id() + "': could not write the " + what + " upstream '"
        + call.pool().name() + "' target " + target, e);
    ex.response().headers().clear();
    if (ex.hasBody()) {
      ex.response().closeConnectionAfter(); // the unread body cannot be skipped
    }
    ex.fail(502, "bad_gateway", "the gateway could not relay the exchange with upstream '" + call.pool().name() + "'");
  }

  private void onResponse(Exchange ex, UpstreamCall call, Target target, AsyncResult<UpstreamResponse> ar) {
    if (ar.failed()) {
      call.attemptEnded(target, RequestRecord.NO_ANSWER);
      boolean timedOut = ar.cause() instanceof TimeoutException;
      String message = call.noAnswer(target, ar.cause()); // no verdict once the exchange ended for the client's sake
      call.attemptFailed(timedOut ? 504 : 502, message);
      // A pooled connection the target closed as the request went out fails before any answer:
      // a bodyless idempotent request is safe to send again.
      retryOrFail(ex, call, !timedOut && isReplayable(ex));
      return;
    }
    UpstreamResponse upstreamResponse = ar.result();
    int status = upstreamResponse.statusCode();
    call.answered(target, status);
    if ((status == 502 || status == 503) && !ex.isDone() && call.takeRetry(isReplayable(ex))) {
      call.attemptEnded(target, RequestRecord.statusClass(status));
      call.attemptFailed(status, "upstream '" + call.pool().name() + "' answered " + status);
      attempt(ex, call);
      return;
    }
    if (ex.isDone()) {
      call.attemptEnded(target, RequestRecord.statusClass(status));
      upstreamResponse.request().reset();
      return;
    }
    relay(ex, call, target, upstreamResponse);
  }

  private void relay(Exchange ex, UpstreamCall call, Target target, UpstreamResponse upstreamResponse) {
    int status = upstreamResponse.statusCode();
    boolean hasBody = hasResponseBody(ex, status);
    long wholeLimit;
    try {
      wholeLimit = hasBody ? ex.chain.wholeResponseBodyLimit(ex, upstreamResponse) : -1;
    } catch (BodyTransformException refused) {
      upstreamResponse.exceptionHandler(ignored -> { }); // unread: the reset that ends the exchange ends it
      call.attemptEnded(target, RequestRecord.statusClass(status));
      ex.fail(refused.status, refused.error, refused.getMessage());
      return;
    }
    if (wholeLimit >= 0) {
      relayChanged(ex, call, target, upstreamResponse, wholeLimit);
      return;
    }
    ClientResponse response = ex.response();
    if (!copyUpstreamHead(ex, call, target, upstreamResponse, null)) {
      call.attemptEnded(target, RequestRecord.statusClass(status));
      return;
    }
    Buffer whole = upstreamResponse.takeWholeBody();
    boolean unframed = !response.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasBody;
    if (whole != null) {
      if (unframed && !upstreamResponse.trailers().isEmpty()) {
        response.setChunked(true); // only chunked framing carries trailers
      }
      relayWhole(ex, call, target, upstreamResponse, whole);
      return;
    }
    if (unframed) {
      response.setChunked(true);
    }
    ReadStream<Buffer> body = ex.chain.responseBody(ex, ActivityTrackingStream.response(upstreamResponse, call));
    call.touch();
    body.pipe().endOnSuccess(false).endOnFailure(false).to(response).onComplete(done -> {
      call.attemptEnded(target, RequestRecord.statusClass(status));
      ex.finish();
      if (done.failed()) {
        response.reset();
        upstreamResponse.request().reset();
      } else {
        copyTrailers(upstreamResponse, response);
        response.end();
      }
    });
  }

  /** An answer whose body came whole with its head: the steps see it at once, and the client gets it in one write. */
  private static void relayWhole(Exchange ex, UpstreamCall call, Target target, UpstreamResponse upstreamResponse,
                                 Buffer whole) {
    call.touch();
    ex.chain.wholeResponseBody(ex, whole);
    call.attemptEnded(target, RequestRecord.statusClass(upstreamResponse.statusCode()));
    ex.finish();
    copyTrailers(upstreamResponse, ex.response());
    ex.response().end(whole);
  }

  /** HTTP/2 trailers (gRPC's status) and HTTP/1.1 chunked trailers, read once the body ended. */
  private static void copyTrailers(UpstreamResponse upstreamResponse, ClientResponse response) {
    MultiMap trailers = upstreamResponse.trailers();
    if (!trailers.isEmpty()) {
      HopByHopHeaders.copyEndToEnd(trailers, response.trailers());
    }
  }

  /** Reads the answer whole (up to {@code limit}), lets the route's steps change it, then sends (and caches) it with its new length. */
  private void relayChanged(Exchange ex, UpstreamCall call, Target target, UpstreamResponse upstreamResponse, long limit) {
    call.touch();
    WholeResponseBody.read(ex, call, upstreamResponse, limit)
        .map(body -> ex.chain.changedResponseBody(ex, upstreamResponse, body))
        .onComplete(ar -> {
          int status = upstreamResponse.statusCode();
          call.attemptEnded(target, RequestRecord.statusClass(status));
          if (ex.isDone()) {
            return;
          }
          if (ar.failed()) {
            failedChange(ex, call, ar.cause());
            return;
          }
          Buffer body = ar.result();
          if (!copyUpstreamHead(ex, call, target, upstreamResponse, body)) {
            return;
          }
          ex.chain.wholeResponseBody(ex, body);
          ex.finish();
          ex.response().end(body);
        });
  }

  /** Reading or changing the whole answer failed: its 502, or (a step's defect) logged and answered 502 all the same. */
  private static void failedChange(Exchange ex, UpstreamCall call, Throwable cause) {
    if (cause instanceof BodyTransformException failure) {
      ex.fail(failure.status, failure.error, failure.getMessage());
      return;
    }
    LOG.log(Level.SEVERE, "route '" + ex.route.id() + "': changing the answer of upstream '" + call.pool().name()
        + "' failed", cause);
    ex.fail(502, "bad_gateway", "the gateway could not change the answer of upstream '" + call.pool().name() + "'");
  }

  /**
   * Copies the upstream's status and end-to-end headers (with the length of a {@code whole} body the
   * gateway changed), then completes the head through the door (the route's steps); false when the
   * client's protocol cannot carry them, the exchange then failed.
   */
  private static boolean copyUpstreamHead(Exchange ex, UpstreamCall call, Target target, UpstreamResponse upstreamResponse,
                                          Buffer whole) {
    ClientResponse response = ex.response();
    int status = upstreamResponse.statusCode();
    try {
      if (response.adoptHeaders(upstreamResponse)) { // the upstream's map, no copy
        HopByHopHeaders.removeFrom(response.headers());
      } else {
        HopByHopHeaders.copyEndToEnd(upstreamResponse.headers(), response.headers());
      }
      if (whole != null) {
        response.headers().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(whole.length()));
      }
      Answers.head(ex, status);
    } catch (Exception e) { // e.g. a route's header value the client's protocol refuses
      upstreamResponse.exceptionHandler(ignored -> {
        // the upstream request is reset below, failing the unread body nobody will read
      });
      headFailed(ex, call, "answer head from", target, e);
      return false;
    }
    response.setStatusCode(status);
    String reason = upstreamResponse.statusMessage();
    if (!reason.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      response.setStatusMessage(reason); // only a non-standard phrase is worth Netty's slow path
    }
    return true;
  }

  private static boolean hasResponseBody(Exchange ex, int status) {
    return ex.request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
