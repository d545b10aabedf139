package io.gridgate.proxy;

import io.gridgate.ratelimit.LimitDecision;
import io.gridgate.ratelimit.RateLimitHeaderWriter;
import io.gridgate.ratelimit.RateLimitVerdict;
import io.gridgate.ratelimit.RouteRateLimits;
import io.gridgate.security.PolicyChain;
import io.gridgate.security.PolicyContext;
import io.gridgate.security.Refusal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.gridgate.http.ClientResponse;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether and when a routed exchange is forwarded: its route's policy chain (IP filter,
 * CORS, authentication, ACL), then its rate limits; a refusal is answered by the gateway, an
 * admitted exchange is answered from the route's response cache or goes to the forwarder (or the
 * WebSocket forwarder, or the composer for a composed route), after the delay a leaky bucket asked
 * for.
 */
final class Admission {
  private static final Logger LOG = Logger.getLogger(Admission.class.getName());
  private final Vertx vertx;
  private final Forwarder forwarder = new Forwarder();
  private final WebSocketForwarder webSockets = new WebSocketForwarder();
  private final Composer composer;
  private final CachedAnswers cachedAnswers = new CachedAnswers();
  private final Consumer<Exchange> forward = forwarder::forward;

  Admission(Vertx vertx, UpstreamClients clients) {
    this.vertx = vertx;
    this.composer = new Composer(vertx, clients);
  }

  void admit(Exchange exchange, GatewayState state, String path) {
    exchange.cacheable(state.caches().get(exchange.route.id()), path);
    PolicyChain chain = state.policies().get(exchange.route.id());
    if (chain == null) {
      limit(exchange, state, path);
      return;
    }
    PolicyContext context = new PolicyContext(exchange.request, exchange.clientAddress, exchange.route.id());
    exchange.policies(context);
    chain.run(context).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.SEVERE, "a policy failed on route " + exchange.route.id(), ar.cause());
        answer(exchange, Refusal.of(500, "internal_error", "the gateway failed to check the request"));
      } else if (ar.result() != null) {
        answer(exchange, ar.result());
      } else {
        limit(exchange, state, path);
      }
    });
  }

  private void limit(Exchange exchange, GatewayState state, String path) {
    RouteRateLimits limits = state.rateLimits().get(exchange.route.id());
    if (limits == null) {
      dispatch(exchange, state, path);
    } else {
      limits.check(exchange.clientAddress, exchange.identity(), path, exchange.request.headers())
          .onComplete(ar -> afterLimits(exchange, state, path, limits, ar));
    }
  }

  private void afterLimits(Exchange exchange, GatewayState state, String path, RouteRateLimits limits,
                           AsyncResult<RateLimitVerdict> ar) {
    if (ar.failed()) {
      LOG.log(Level.SEVERE, "rate limit check failed on route " + exchange.route.id(), ar.cause());
      answer(exchange, Refusal.of(500, "internal_error", "the gateway failed to check the rate limits"));
      return;
    }
    RateLimitVerdict verdict = ar.result();
    exchange.rateLimited(limits.headers(), verdict.decision(), verdict.onEnd());
    if (!verdict.allowed()) {
      RateLimitHeaderWriter.write(exchange.response.headers(), limits.headers(), verdict.decision());
      answer(exchange, verdict.decision().outcome() == LimitDecision.Outcome.UNAVAILABLE
          ? Refusal.of(503, "rate_limit_unavailable", "rate limit '" + verdict.limitId() + "' cannot be checked right now")
          : Refusal.of(429, "rate_limited", "rate limit '" + verdict.limitId() + "' exceeded"));
    } else if (verdict.delayMillis() > 0) {
      vertx.setTimer(verdict.delayMillis(), t -> dispatch(exchange, state, path));
    } else {
      dispatch(exchange, state, path);
    }
  }

  private void dispatch(Exchange exchange, GatewayState state, String path) {
    if (exchange.isDone()) {
      return; // ended meanwhile: its body failed while the policies or limits were checked
    }
    if (exchange.route.spec().compose() != null) {
      composer.compose(exchange, state, path);
    } else if (exchange.request.canUpgradeToWebSocket()) {
      webSockets.forward(exchange);
    } else {
      cachedAnswers.serve(exchange, forward);
    }
  }

  /** The gateway's own answer: JSON error body, or (below 300, a CORS preflight) headers only. */
  private static void answer(Exchange exchange, Refusal refusal) {
    if (exchange.isDone()) {
      return;
    }
    if (exchange.hasBody) {
      exchange.request.response().closeConnectionAfter(); // the unread body cannot be skipped
    }
    ClientResponse response = exchange.response;
    refusal.headers().forEach(response::putHeader);
    exchange.writePolicyResponseHeaders(response.headers());
    if (refusal.status() < 300) {
      response.headers().set(RequestIds.HEADER, exchange.requestId);
      response.setStatusCode(refusal.status()).end();
    } else {
      ErrorResponses.send(exchange.record, refusal.status(), refusal.error(), refusal.message(), exchange.requestId);
    }
  }
}
