package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.security.Identity;
import io.gridgate.security.Refusal;
import java.util.Arrays;

/**
 * One client request on its route: who sent it, where it goes, its body, its proven identity, what
 * its route's steps keep for it ({@link StepState}), its call to the upstream, and whether it has
 * ended. Its {@link RouteChain} drives it; used on its event loop only.
 */
final class Exchange {
  final ClientRequest request;
  final RequestRecord record;
  final ClientPeer client;
  final RouteChain chain;
  final CompiledRoute route;
  /** The normalised request path. */
  final String path;
  /** The request-target sent upstream, before the policies' removals. */
  final String uri;
  /** The client's body; null when the request has none. */
  final RequestBody body;
  final EventLoopParts loop;
  private Identity identity;
  private Object[] states;
  private int position;
  private UpstreamCall call;
  private boolean done;
  private boolean clientAtFault;

  Exchange(ClientRequest request, RequestRecord record, ClientPeer client, RouteChain chain, String path, String uri,
           RequestBody body, EventLoopParts loop) {
    this.request = request;
    this.record = record;
    this.client = client;
    this.chain = chain;
    this.route = chain.route();
    this.path = path;
    this.uri = uri;
    this.body = body;
    this.loop = loop;
    if (body != null) {
      body.watch(this::touch, this::bodyTimedOut, this::clientBodyFailed);
    }
    record.routed(route.id(), chain.pool() == null ? null : chain.pool().name(), client.address(), this);
  }

  ClientResponse response() {
    return request.response();
  }

  String requestId() {
    return record.requestId();
  }

  boolean hasBody() {
    return body != null;
  }

  /** Who the request is, once a policy proved it; null otherwise. */
  Identity identity() {
    return identity;
  }

  void identity(Identity proven) {
    this.identity = proven;
  }

  /** What a step kind keeps for this exchange, or null. */
  @SuppressWarnings("unchecked")
  <T> T get(StepState<T> state) {
    return states == null || state.slot >= states.length ? null : (T) states[state.slot];
  }

  <T> void put(StepState<T> state, T value) {
    if (states == null || state.slot >= states.length) {
      states = states == null ? new Object[StepState.count()] : Arrays.copyOf(states, StepState.count());
    }
    states[state.slot] = value;
  }

  /** The index of the step whose request side runs (or suspended the exchange); the step count once at the terminal. */
  int position() {
    return position;
  }

  void position(int step) {
    this.position = step;
  }

  /** A suspended step lets the exchange go on to the next one. */
  void resume() {
    chain.resume(this);
  }

  /** The upstream call the terminal makes for this exchange: its deadlines and reset follow the exchange. */
  void call(UpstreamCall upstreamCall) {
    this.call = upstreamCall;
  }

  boolean isDone() {
    return done;
  }

  /** Data went to or came from the upstream: the call's idle clock restarts. */
  void touch() {
    if (call != null) {
      call.touch();
    }
  }

  /** The gateway's own answer to the exchange (a refusal), through the one door. */
  void answer(Refusal refusal) {
    if (done) {
      return;
    }
    if (body != null) {
      response().closeConnectionAfter(); // the unread body cannot be skipped
    }
    finish();
    Answers.refusal(this, refusal);
  }

  /**
   * Ends the exchange with a gateway error (or a reset when the response has already started); an
   * HTTP/1.x connection whose request body was not read to its end is closed after the answer.
   */
  void fail(int status, String error, String message) {
    if (done) {
      return;
    }
    finish();
    if (call != null) {
      call.reset();
    }
    if (body != null && !body.isRead() && !response().headWritten()) {
      response().closeConnectionAfter();
    }
    Answers.error(this, status, error, message);
  }

  /**
   * The client's body stalled or crawled: 408 {@code request_timeout} (a reset once the answer
   * started), the upstream request reset, and the client stopped from sending more.
   */
  private void bodyTimedOut(String reason) {
    clientAtFault = true;
    if (done && call != null) {
      call.reset();
    }
    fail(408, "request_timeout", reason);
    body.abandon();
  }

  /**
   * Reading the client's body failed: 413 when it grew past {@code max_body_size}, else 400 (it broke
   * off or was malformed, e.g. a bad chunk); the upstream request is reset, and the failed attempt is
   * the client's fault, not the target's.
   */
  void clientBodyFailed(Throwable failure) {
    clientAtFault = true;
    if (failure instanceof BodySizeLimiter.BodyTooLargeException) {
      fail(413, "body_too_large", failure.getMessage());
    } else {
      fail(400, "bad_request", "the request body is malformed or was cut off");
      // a body the HTTP/1.1 decoder refused fails its connection, which Vert.x closes right after this
      // handler: the answer must leave now, not at the end of the read it was written in
      response().flushNow();
    }
  }

  /**
   * Ends the exchange as sent; later failures and the deadlines are ignored. Its upstream call gives
   * back what it holds (bulkhead slot, an unsettled probe) and the steps give back theirs.
   */
  void finish() {
    if (done) {
      return;
    }
    done = true;
    if (body != null) {
      body.exchangeFinished();
    }
    if (call != null) {
      call.finish();
    }
    chain.finish(this);
  }

  /**
   * True when the exchange ended because of the client (it went away, its body stalled, broke off or
   * was malformed): the failed attempt is not the target's fault.
   */
  boolean isClientsFault() {
    return clientAtFault;
  }

  /** The client went away: stop the upstream side too. */
  void clientGone() {
    if (!done) {
      clientAtFault = true;
      finish();
      if (call != null) {
        call.reset();
      }
    }
  }
}
