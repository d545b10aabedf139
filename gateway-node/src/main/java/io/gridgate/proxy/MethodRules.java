package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.security.Refusal;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * Methods the gateway does not forward: CONNECT (the gateway is no tunnel), and TRACE unless the
 * matched route lists it in {@code match.methods} (TRACE echoes the request, credentials included,
 * RFC 9110 9.3.8). A method that is not a token never gets here: Netty's HTTP/1.1 decoder refuses it,
 * and {@link Http2RequestHeadGuard} refuses an HTTP/2 {@code :method}.
 */
final class MethodRules {
  /** What a route with no method list answers TRACE with, in {@code Allow}. */
  static final String ANY_BUT_TRACE = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";
  private static final Refusal CONNECT = Refusal.of(405, "method_not_allowed", "CONNECT is not supported");
  private static final Refusal TRACE = new Refusal(405, "method_not_allowed",
      "TRACE is not allowed on this route", Map.of("Allow", ANY_BUT_TRACE));

  private MethodRules() {}

  /** The refusal of a CONNECT request, or null for any other method. */
  static Refusal refuseConnect(ClientRequest request) {
    return request.method() == HttpMethod.CONNECT ? CONNECT : null;
  }

  /** The refusal of a TRACE request on {@code route} when the route does not list TRACE, or null. */
  static Refusal refuseTrace(ClientRequest request, CompiledRoute route) {
    return request.method() == HttpMethod.TRACE && !route.spec().match().methods().contains("TRACE") ? TRACE : null;
  }
}
