package io.gridgate.http1;

import io.gridgate.http.ClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.net.SocketAddress;

/**
 * Reports the exchanges of one client connection served by the Netty core to Vert.x's tracer, as
 * Vert.x 5.0.7's HTTP/1.x server reports its requests (Http1xServerRequest, Http1xServerConnection):
 * a request received (kind RPC, the server's tracing policy, the method as operation, the caller's
 * trace context read from the request's headers), which makes the span current on the exchange's
 * context; then the answer sent (its status), or the connection closed before it. Exists only where
 * Vert.x has a tracer. Used on its event loop only.
 */
final class ServerTracing {
  private static final TagExtractor<ClientResponse> RESPONSE_TAGS = new StatusTags<>(ClientResponse::getStatusCode);

  private final VertxTracer<Object, Object> tracer;
  private final TracingPolicy policy;
  private final ServerRequestTags requestTags;
  /** The trace of the exchange in flight until its answer is sent; null when none (or the policy made none). */
  private Object trace;

  private ServerTracing(VertxTracer<Object, Object> tracer, TracingPolicy policy, ServerRequestTags requestTags) {
    this.tracer = tracer;
    this.policy = policy;
    this.requestTags = requestTags;
  }

  /** The tracing of a connection accepted on {@code local} by a server with {@code policy}; null when Vert.x does not trace. */
  @SuppressWarnings("unchecked")
  static ServerTracing of(ContextInternal context, TracingPolicy policy, SocketAddress local) {
    VertxTracer<Object, Object> tracer = context.tracer();
    return tracer == null ? null : new ServerTracing(tracer, policy, new ServerRequestTags(local));
  }

  /** {@code request} begins; call it before its handler runs, so the span is current there. */
  void received(ServerRequest request) {
    trace = tracer.receiveRequest(request.context(), SpanKind.RPC, policy, request, request.method().name(),
        request.headers(), requestTags);
  }

  /** {@code request}'s answer was written whole. */
  void answered(ServerRequest request) {
    Object ended = trace;
    if (ended != null) {
      trace = null;
      tracer.sendResponse(request.context(), request.serverResponse(), ended, null, RESPONSE_TAGS);
    }
  }

  /** The connection closed while {@code request} was in flight (a no-op once it was answered). */
  void closed(ServerRequest request) {
    Object ended = trace;
    if (ended != null) {
      trace = null;
      tracer.sendResponse(request.context(), null, ended, new HttpClosedException("Connection was closed"),
          TagExtractor.empty());
    }
  }
}
