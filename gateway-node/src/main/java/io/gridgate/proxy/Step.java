package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.http.UpstreamResponse;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.buffer.Buffer;
import java.util.function.Predicate;

/**
 * One feature of a route's request path, compiled into the route's {@link RouteChain}: a request
 * side that lets the exchange go on, answers it, or suspends it until the step resumes it (Envoy's
 * continue / stop-iteration), and a response side (head, body, end) every answer of the route
 * passes, in reverse order, whoever wrote it. Every side has a do-nothing default: a step overrides
 * the phases it takes part in (Pingora's named phases). A step is shared by every exchange of its
 * route; what it keeps for one exchange goes in the exchange's {@link StepState}.
 */
interface Step {
  /** What the request side decided. */
  enum Next {
    /** Go on to the next step (or the terminal). */
    CONTINUE,
    /** The step answered the exchange (or it ended): nothing after it runs. */
    ANSWERED,
    /** The step waits for something (a grid call, a timer, the body); it calls {@link Exchange#resume()} or answers. */
    SUSPENDED
  }

  /** The request side, on the exchange's event loop; deciding at once allocates nothing. */
  default Next onRequest(Exchange ex) {
    return Next.CONTINUE;
  }

  /** The request-target of a request sent upstream, as this step leaves it (e.g. without a credential). */
  default String onUpstreamUri(Exchange ex, String uri) {
    return uri;
  }

  /**
   * The client headers this step's {@link #onUpstreamHead} removes from every request of the
   * exchange sent upstream (a credential, a spoofable identity header), so that the copy of the
   * client's headers can leave them out; null when it removes none.
   */
  default Predicate<CharSequence> removedClientHeaders(Exchange ex) {
    return null;
  }

  /**
   * The head of a request sent upstream on the exchange's behalf (every attempt, every composed
   * part), its headers changeable in {@code request}.
   */
  default void onUpstreamHead(Exchange ex, UpstreamPool pool, UpstreamRequest request) {
  }

  /**
   * The head of an answer of {@code status} to the client (the upstream's, a cached one, or the
   * gateway's own), before it is written, its headers changeable in {@code response}.
   */
  default void onResponseHead(Exchange ex, int status, ClientResponse response) {
  }

  /** A chunk of a relayed answer's body on its way to the client. */
  default void onResponseBody(Exchange ex, Buffer chunk) {
  }

  /**
   * Whether this step changes the whole body of this relayed answer: the most bytes it reads whole
   * to do so, or -1 to let the body stream through unchanged. Throws {@link BodyTransformException}
   * when the answer cannot be changed (the exchange then fails with it).
   */
  default long wholeResponseBodyLimit(Exchange ex, UpstreamResponse upstream) {
    return -1;
  }

  /** The whole body of a relayed answer the route's steps read whole, as this step leaves it; may throw {@link BodyTransformException}. */
  default Buffer onWholeResponseBody(Exchange ex, UpstreamResponse upstream, Buffer body) {
    return body;
  }

  /** The relayed answer's body ended whole (never called when it failed or was cut off). */
  default void onResponseEnd(Exchange ex) {
  }

  /** The exchange ended (answered, failed, or the client left): runs once, to give back what the step holds. */
  default void onFinish(Exchange ex) {
  }

  /** Whether the step may change relayed answer bodies whole ({@link #wholeResponseBodyLimit}, {@link #onWholeResponseBody}). */
  default boolean changesResponseBodies() {
    return false;
  }

  /** Whether the step reads relayed answer bodies ({@link #onResponseBody}, {@link #onResponseEnd}). */
  default boolean readsResponseBody() {
    return false;
  }
}
