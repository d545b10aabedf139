package io.gridgate.proxy;

import io.gridgate.config.NodeSettings;
import io.gridgate.http.ClientRequest;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.routing.PathNormalizer;
import io.gridgate.routing.RouteLookup;
import io.gridgate.security.Refusal;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The data plane of one event loop, for whichever HTTP engine carries the request: checks the
 * request (method, header lines, request-target, Host, path — see docs/security.md), normalises its
 * path, matches a route on it and runs the exchange through the route's compiled {@link RouteChain}
 * (its steps, then its terminal); a request it refuses before that is recorded here.
 */
public final class GatewayHandler implements Handler<ClientRequest> {
  private static final Logger LOG = Logger.getLogger(GatewayHandler.class.getName());
  private static final Refusal INVALID_PATH = Refusal.of(400, "invalid_path",
      "the request path has a malformed percent-escape or a NUL");
  private final EventLoopParts loop;
  private final Supplier<GatewayState> state;
  private final RequestTraces traces;

  GatewayHandler(Vertx vertx, DeadlineSweeper deadlines, Supplier<GatewayState> state, UpstreamClients clients) {
    this.loop = new EventLoopParts(vertx, deadlines, clients);
    this.state = state;
    this.traces = new RequestTraces(vertx);
  }

  @Override
  public void handle(ClientRequest request) {
    GatewayState current = state.get();
    RequestRecord record = new RequestRecord(request);
    RequestObserver observer = current.services().observer();
    try {
      serve(request, current, record, observer);
    } catch (RuntimeException e) {
      // a defect must still end the exchange, never leave the client waiting
      LOG.log(Level.SEVERE, "unexpected failure handling " + request.method() + " " + request.path(), e);
      RequestRecorder.watch(record, observer);
      ErrorResponses.send(record, 500, "internal_error", "the gateway failed to handle the request",
          RequestIds.keepOrCreate(request.getHeader(RequestIds.HEADER)));
    }
  }

  /**
   * A request the gateway refuses before running a route's chain is recorded here; one that runs a
   * chain is recorded by its {@link AccessLogStep}.
   */
  private void serve(ClientRequest request, GatewayState current, RequestRecord record, RequestObserver observer) {
    NodeSettings node = current.node();
    String requestId = RequestIds.keepOrCreate(request.getHeader(RequestIds.HEADER));
    record.identified(requestId, traces.begin(request, requestId));
    Refusal invalid = invalidHead(request, node);
    if (invalid != null) {
      refuse(record, observer, invalid);
      return;
    }
    String path = PathNormalizer.normalize(request.path());
    if (path == null) {
      refuse(record, observer, INVALID_PATH);
      return;
    }
    long contentLength = contentLength(request);
    if (contentLength == -2) {
      reject(record, observer, 400, "invalid_content_length", "Content-Length is not a single non-negative number");
      return;
    }
    long maxBody = node.limits().maxBodySize();
    if (maxBody > 0 && contentLength > maxBody) {
      request.response().closeConnectionAfter();
      reject(record, observer, 413, "body_too_large", "request body exceeds " + maxBody + " bytes");
      return;
    }
    String host = host(request.authority());
    String matchedPath = PathNormalizer.withoutParameters(path);
    RouteLookup lookup = current.routes().match(request.method().name(), host, matchedPath, request.headers());
    if (!lookup.found()) {
      if (lookup.methodNotAllowed()) {
        request.response().putHeader(HttpHeaders.ALLOW, String.join(", ", lookup.allowedMethods()));
        reject(record, observer, 405, "method_not_allowed", request.method() + " is not allowed on " + matchedPath);
      } else {
        reject(record, observer, 404, "no_route", "no route matches " + request.method() + " " + matchedPath);
      }
      return;
    }
    CompiledRoute route = lookup.route();
    Refusal refused = MethodRules.refuseTrace(request, route);
    if (refused == null) {
      refused = PathParameterRules.refuse(route, path, matchedPath);
    }
    if (refused != null) {
      refuse(record, observer, refused);
      return;
    }
    String forwardedPath = PathParameterRules.forwardedPath(route, path, matchedPath);
    RequestBody body = hasBody(request, contentLength)
        ? new RequestBody(request, loop.deadlines(), node, current.services().requestBuffers()) : null;
    String peer = request.remoteAddress().hostAddress();
    boolean trustedPeer = node.isTrustedProxy(peer);
    ClientPeer client = new ClientPeer(peer, trustedPeer,
        trustedPeer ? ForwardedHeaders.clientAddress(request, node, peer) : peer);
    RouteChain chain = current.chainOf(route);
    chain.start(new Exchange(request, record, client, chain, forwardedPath, upstreamUri(request, route, forwardedPath),
        body, loop));
  }

  /**
   * Why the request's head cannot be served, checked before routing: CONNECT, the header rules Netty
   * leaves to the gateway, the URI's length, the request-target and the Host; null when it can be.
   */
  private static Refusal invalidHead(ClientRequest request, NodeSettings node) {
    Refusal refused = MethodRules.refuseConnect(request);
    if (refused == null) {
      refused = HeaderRules.check(request);
    }
    if (refused != null) {
      return refused;
    }
    int maxUri = node.limits().maxUriLength();
    if (request.uri().length() > maxUri) {
      // The decoder's request-line limit only approximates this (it includes the method and
      // protocol) and HTTP/2 has no request line at all, so the URI itself is checked here.
      return Refusal.of(414, "uri_too_long", "request URI exceeds " + maxUri + " characters");
    }
    refused = RequestTarget.check(request.uri(), request.version() != HttpVersion.HTTP_2);
    return refused != null ? refused : HostRules.check(request);
  }

  /** Answers a refused request and closes an HTTP/1.x connection after it (a body it may have is unread). */
  private static void refuse(RequestRecord record, RequestObserver observer, Refusal refusal) {
    ClientRequest request = record.request();
    request.response().closeConnectionAfter();
    refusal.headers().forEach(request.response()::putHeader);
    reject(record, observer, refusal.status(), refusal.error(), refusal.message());
  }

  /** The gateway's answer to a request no route's chain runs, recorded when it ends. */
  private static void reject(RequestRecord record, RequestObserver observer, int status, String error, String message) {
    RequestRecorder.watch(record, observer);
    ErrorResponses.send(record, status, error, message, record.requestId());
  }

  /** The request's host in lower case, without the port; null when it has none. */
  static String host(HostAndPort authority) {
    return authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
  }

  /** The declared body length; -1 when absent, -2 when malformed. */
  private static long contentLength(ClientRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.trim());
      return length < 0 ? -2 : length;
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  private static boolean hasBody(ClientRequest request, long contentLength) {
    if (contentLength >= 0) {
      return contentLength > 0;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    String te = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  private static String upstreamUri(ClientRequest request, CompiledRoute route, String path) {
    String upstreamPath = route.upstreamPath(path);
    String query = route.upstreamQuery(request.query());
    return query == null ? upstreamPath : upstreamPath + "?" + query;
  }
}
