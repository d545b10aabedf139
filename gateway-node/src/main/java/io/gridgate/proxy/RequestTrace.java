package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.upstream.UpstreamPool;

/** The trace one client request belongs to: its id (for log lines) and the trace headers of each upstream attempt. */
interface RequestTrace {
  /** 32 lower-case hex digits. */
  String traceId();

  /** Sets the trace headers of an attempt to {@code pool} on {@code upstream}, which holds the client's headers already. */
  void writeUpstream(UpstreamRequest upstream, CompiledRoute route, UpstreamPool pool);
}
