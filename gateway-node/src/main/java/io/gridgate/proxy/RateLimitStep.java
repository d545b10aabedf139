package io.gridgate.proxy;

import io.gridgate.http.ClientResponse;
import io.gridgate.ratelimit.LimitDecision;
import io.gridgate.ratelimit.RateLimitHeaderWriter;
import io.gridgate.ratelimit.RateLimitVerdict;
import io.gridgate.ratelimit.RouteRateLimits;
import io.gridgate.security.Refusal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The route's rate limits as one step (after the policies, so a limit can key on the proven
 * consumer and its tier): 429, or 503 when a limit cannot be checked; a leaky bucket's delay
 * suspends the exchange; the tightest limit's headers go on every answer, and the permits held
 * until the end (concurrency) go back when the exchange ends.
 */
final class RateLimitStep implements Step {
  private static final Logger LOG = Logger.getLogger(RateLimitStep.class.getName());
  private static final StepState<RateLimitVerdict> VERDICT = StepState.create();
  private final RouteRateLimits limits;

  private RateLimitStep(RouteRateLimits limits) {
    this.limits = limits;
  }

  /** Steps for the routes that have any, from a version's compiled RouteRateLimits by route id. */
  static StepFactory factory(Map<String, RouteRateLimits> byRoute) {
    return StepFactory.byRouteId(byRoute, RateLimitStep::new);
  }

  @Override
  public Next onRequest(Exchange ex) {
    Future<RateLimitVerdict> checked = limits.check(ex.client.address(), ex.identity(), ex.path, ex.request.headers());
    if (checked.isComplete()) {
      return decided(ex, checked);
    }
    checked.onComplete(ar -> {
      if (decided(ex, ar) == Next.CONTINUE) {
        ex.resume();
      }
    });
    return Next.SUSPENDED;
  }

  private static Next decided(Exchange ex, AsyncResult<RateLimitVerdict> checked) {
    if (checked.failed()) {
      LOG.log(Level.SEVERE, "rate limit check failed on route " + ex.route.id(), checked.cause());
      ex.answer(Refusal.of(500, "internal_error", "the gateway failed to check the rate limits"));
      return Next.ANSWERED;
    }
    RateLimitVerdict verdict = checked.result();
    ex.put(VERDICT, verdict);
    if (!verdict.allowed()) {
      ex.answer(verdict.decision().outcome() == LimitDecision.Outcome.UNAVAILABLE
          ? Refusal.of(503, "rate_limit_unavailable", "rate limit '" + verdict.limitId() + "' cannot be checked right now")
          : Refusal.of(429, "rate_limited", "rate limit '" + verdict.limitId() + "' exceeded"));
      return Next.ANSWERED;
    }
    if (verdict.delayMillis() > 0) {
      ex.loop.vertx().setTimer(verdict.delayMillis(), t -> ex.resume());
      return Next.SUSPENDED;
    }
    return Next.CONTINUE;
  }

  @Override
  public void onResponseHead(Exchange ex, int status, ClientResponse response) {
    RateLimitVerdict verdict = ex.get(VERDICT);
    if (verdict != null) {
      RateLimitHeaderWriter.write(response, limits.headers(), verdict.decision());
    }
  }

  @Override
  public void onFinish(Exchange ex) {
    RateLimitVerdict verdict = ex.get(VERDICT);
    if (verdict != null && verdict.onEnd() != null) {
      verdict.onEnd().run();
    }
  }
}
