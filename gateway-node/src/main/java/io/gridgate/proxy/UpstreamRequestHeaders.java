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
import java.util.function.Predicate;

/**
 * Writes the headers of a request sent upstream, straight into the upstream request: the client's
 * end-to-end headers, the Host mode (as {@code :authority} to an HTTP/2 upstream, which also gets
 * {@code TE: trailers} when the client sent it), X-Forwarded-*, X-Request-Id, the route's header
 * operations, then the route's steps' upstream side (the W3C trace headers, {@code Accept-Encoding:
 * identity} when the route transforms response bodies, the policies' changes: credentials and
 * spoofed identity headers removed, identity set). The client's copies of the headers the steps
 * remove are left out of the copy in the first place.
 */
final class UpstreamRequestHeaders {
  private UpstreamRequestHeaders() {}

  /** The headers of a request of this exchange to {@code pool}, which need not be the route's (a composed route's part). */
  static void write(Exchange ex, UpstreamPool pool, UpstreamRequest upstreamRequest) {
    MultiMap upstream = upstreamRequest.headers();
    ClientRequest request = ex.request;
    CompiledRoute route = ex.route;
    // headers the steps remove later anyway are not copied, unless the route may rename them first
    Predicate<CharSequence> removed = route.requestHeaders().renames() ? null : ex.chain.removedClientHeaders(ex);
    if (request.headersChecked()) { // Vert.x's check accepted them on the way in: not checked again
      HopByHopHeaders.copyEndToEnd(request.headers(), upstreamRequest::addChecked, removed);
    } else {
      HopByHopHeaders.copyEndToEnd(request.headers(), upstream::add, removed);
    }
    upstream.remove(HttpHeaders.HOST);
    upstream.remove(HttpHeaders.EXPECT);
    HostHeader hostHeader = route.spec().hostHeader();
    if (hostHeader.mode() == HostHeader.Mode.PRESERVE && request.authority() != null) {
      upstream.set(HttpHeaders.HOST, request.authority().toString());
    } else if (hostHeader.mode() == HostHeader.Mode.FIXED) {
      upstream.set(HttpHeaders.HOST, hostHeader.value());
    }
    ForwardedHeaders.write(request, ex.client.peer(), ex.client.trusted(), upstreamRequest);
    upstreamRequest.setChecked(RequestIds.NAME, ex.requestId()); // well-formed by RequestIds' rule
    route.requestHeaders().apply(upstream);
    ex.chain.upstreamHead(ex, pool, upstreamRequest);
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
