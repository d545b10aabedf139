package io.gridgate.proxy;

import io.gridgate.config.HostHeader;
import io.gridgate.config.UpstreamSpec;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;

/**
 * Writes the headers of a request sent upstream, straight into the upstream request: the client's
 * end-to-end headers, the Host mode (as {@code :authority} to an HTTP/2 upstream, which also gets
 * {@code TE: trailers} when the client sent it), X-Forwarded-*, X-Request-Id, the route's header
 * operations, then the route's steps' upstream side (the W3C trace headers, {@code Accept-Encoding:
 * identity} when the route transforms response bodies, the policies' changes: credentials and
 * spoofed identity headers removed, identity set).
 */
final class UpstreamRequestHeaders {
  private UpstreamRequestHeaders() {}

  /** The headers of a request of this exchange to {@code pool}, which need not be the route's (a composed route's part). */
  static void write(Exchange ex, UpstreamPool pool, UpstreamRequest upstreamRequest) {
    MultiMap upstream = upstreamRequest.headers();
    ClientRequest request = ex.request;
    if (request.headersChecked()) { // Vert.x's check accepted them on the way in: not checked again
      HopByHopHeaders.copyEndToEnd(request.headers(), upstreamRequest::addChecked);
    } else {
      HopByHopHeaders.copyEndToEnd(request.headers(), upstream);
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
    ForwardedHeaders.write(request, ex.client.peer(), ex.client.trusted(), upstreamRequest);
    upstreamRequest.setChecked(RequestIds.NAME, ex.requestId()); // well-formed by RequestIds' rule
    route.requestHeaders().apply(upstream);
    ex.chain.upstreamHead(ex, pool, upstream);
    if (pool.spec().protocol() == UpstreamSpec.Protocol.HTTP2) {
      adaptToHttp2(request, upstreamRequest);
    }
  }

  /**
   * HTTP/2 names the host in {@code :authority}: a Host header beside it is moved there (a stream
   * carrying both, differing, is reset by the target). {@code TE: trailers}, the only TE HTTP/2
   * allows and one gRPC servers expect, is passed on.
   */
  private static void adaptToHttp2(ClientRequest request, UpstreamRequest upstreamRequest) {
    MultiMap upstream = upstreamRequest.headers();
    String host = upstream.get(HttpHeaders.HOST);
    if (host != null) {
      upstream.remove(HttpHeaders.HOST);
      HostAndPort authority = HostAndPort.parseAuthority(host, -1);
      if (authority != null) {
        upstreamRequest.authority(authority);
      }
    }
    if (HopByHopHeaders.acceptsTrailers(request.headers())) {
      upstream.set("te", "trailers");
    }
  }
}
