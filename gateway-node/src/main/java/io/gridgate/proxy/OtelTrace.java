package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.tracing.GatewaySpanAttributes;
import io.gridgate.upstream.UpstreamPool;
import io.opentelemetry.api.trace.Span;

/**
 * A request traced by OpenTelemetry: Vert.x opened its server span (continuing the client's trace
 * or starting one) and writes the traceparent of each upstream attempt's client span itself, so the
 * client's own trace headers are not forwarded.
 */
final class OtelTrace implements RequestTrace {
  private final Span server;
  private final String method;

  private OtelTrace(Span server, String method) {
    this.server = server;
    this.method = method;
  }

  /** The server span of the request running on the current context, tagged with {@code requestId}; null when there is none. */
  static OtelTrace current(String method, String requestId) {
    Span span = Span.current();
    if (!span.getSpanContext().isValid()) {
      return null;
    }
    span.setAttribute(GatewaySpanAttributes.REQUEST_ID, requestId);
    return new OtelTrace(span, method);
  }

  @Override
  public String traceId() {
    return server.getSpanContext().getTraceId();
  }

  @Override
  public void writeUpstream(UpstreamRequest upstream, CompiledRoute route, UpstreamPool pool) {
    upstream.headers().remove(TraceParent.HEADER);
    upstream.headers().remove(TraceParent.STATE_HEADER);
    server.updateName(method + " " + route.id());
    server.setAttribute(GatewaySpanAttributes.ROUTE, route.id());
    server.setAttribute(GatewaySpanAttributes.UPSTREAM, pool.name());
  }
}
