package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.upstream.UpstreamPool;

/**
 * The request's trace on every request sent upstream: the W3C trace headers of each attempt and
 * part (OpenTelemetry's client span, or the gateway's own traceparent). The trace itself begins
 * before routing, so that refused and unrouted requests have one too.
 */
final class TraceStep implements Step {
  /** Every route traces. */
  static final StepFactory FACTORY = route -> new TraceStep();

  @Override
  public void onUpstreamHead(Exchange ex, UpstreamPool pool, UpstreamRequest request) {
    ex.record.trace().writeUpstream(request, ex.route, pool);
  }
}
