package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.logging.LogContext;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * Starts the trace of each request the way this node traces: OpenTelemetry's server span when
 * Vert.x was built with a tracer, else the gateway's own W3C traceparent (no OpenTelemetry on the
 * hot path); and names the request and trace ids on the request's context for its log lines.
 */
final class RequestTraces {
  private final boolean openTelemetry;

  RequestTraces(Vertx vertx) {
    this.openTelemetry = ((VertxInternal) vertx).tracer() != null;
  }

  RequestTrace begin(ClientRequest request, String requestId) {
    RequestTrace trace = openTelemetry ? OtelTrace.current(request.method().name(), requestId) : null;
    if (trace == null) { // without a server span nothing else would write a traceparent upstream
      trace = TraceParent.of(request.getHeader(TraceParent.HEADER));
    }
    LogContext.enter(requestId, trace.traceId());
    return trace;
  }
}
