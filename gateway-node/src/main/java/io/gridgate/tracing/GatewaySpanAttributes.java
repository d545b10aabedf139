package io.gridgate.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * The gateway's own span attributes. The proxy tags a request's server span with its request id,
 * route and upstream; as a span processor, this class copies the route and upstream onto each
 * client span started under that server span once it names its upstream (the upstream attempts).
 */
public final class GatewaySpanAttributes implements SpanProcessor {
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("gridgate.request_id");
  public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("gridgate.route");
  public static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("gridgate.upstream");

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (span.getKind() == SpanKind.CLIENT && Span.fromContext(parentContext) instanceof ReadableSpan parent) {
      String upstream = parent.getAttribute(UPSTREAM);
      if (upstream != null) {
        span.setAttribute(UPSTREAM, upstream);
        span.setAttribute(ROUTE, parent.getAttribute(ROUTE));
      }
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    // nothing to add once a span ends
  }

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
