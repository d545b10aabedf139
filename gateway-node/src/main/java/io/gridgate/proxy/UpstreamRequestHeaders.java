package io.gridgate.proxy;

import io.gridgate.config.HostHeader;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.routing.CompiledRoute;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Writes the headers of a request sent upstream, straight into the upstream request: the client's
 * end-to-end headers (and {@code TE: trailers} to an HTTP/2 upstream when the client sent it), the Host mode, X-Forwarded-*, X-Request-Id, the W3C trace headers (see
 * {@link RequestTrace}), the route's header operations,
 * then the policies' changes (credentials and spoofed identity headers removed, identity set).
 */
final class UpstreamRequestHeaders {
  private UpstreamRequestHeaders() {}

  static void write(Exchange ex, MultiMap upstream) {
    HttpServerRequest request = ex.request;
    HopByHopHeaders.copyEndToEnd(request.headers(), upstream);
    if (ex.pool.spec().protocol() == UpstreamSpec.Protocol.HTTP2 && HopByHopHeaders.acceptsTrailers(request.headers())) {
      upstream.set("te", "trailers"); // the only TE HTTP/2 allows, and gRPC servers expect it
    }
    upstream.remove(HttpHeaders.HOST);
    upstream.remove(HttpHeaders.EXPECT);
    CompiledRoute route = ex.route;
    HostHeader hostHeader = route.spec().hostHeader();
    if (hostHeader.mode() == HostHeader.Mode.PRESERVE && request.authority() != null) {
      upstream.set(HttpHeaders.HOST, request.authority().toString());
    } else if (hostHeader.mode() == HostHeader.Mode.FIXED) {
      upstream.set(HttpHeaders.HOST, hostHeader.value());
    }
    ForwardedHeaders.write(request, ex.peer, ex.trustedPeer, upstream);
    upstream.set(RequestIds.HEADER, ex.requestId);
    ex.trace.writeUpstream(upstream, route, ex.pool);
    route.requestHeaders().apply(upstream);
    ex.writePolicyUpstreamHeaders(upstream);
  }
}
