package io.gridgate.proxy;

import io.gridgate.http.UpstreamRequest;
import io.gridgate.security.PolicyChain;
import io.gridgate.security.PolicyContext;
import io.gridgate.security.Refusal;
import io.gridgate.upstream.UpstreamPool;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The route's security policies (security/: client certificate, authentication, revocation,
 * consumer groups, ACL) as one step, after the IP filter and CORS: the first refusal answers (with
 * its challenge headers); the policies' upstream header and query changes go on every upstream
 * request.
 */
final class PolicyStep implements Step {
  private static final Logger LOG = Logger.getLogger(PolicyStep.class.getName());
  private static final StepState<PolicyContext> CONTEXT = StepState.create();
  private final PolicyChain policies;

  private PolicyStep(PolicyChain policies) {
    this.policies = policies;
  }

  /** Steps for the routes that have any, from a version's compiled PolicyChain by route id. */
  static StepFactory factory(Map<String, PolicyChain> chains) {
    return StepFactory.byRouteId(chains, PolicyStep::new);
  }

  @Override
  public Next onRequest(Exchange ex) {
    PolicyContext context = new PolicyContext(ex.request, ex.client.address(), ex.route.id());
    ex.put(CONTEXT, context);
    Future<Refusal> decided = policies.run(context);
    if (decided.isComplete()) {
      return decided(ex, context, decided);
    }
    decided.onComplete(ar -> {
      if (decided(ex, context, ar) == Next.CONTINUE) {
        ex.resume();
      }
    });
    return Next.SUSPENDED;
  }

  private static Next decided(Exchange ex, PolicyContext context, AsyncResult<Refusal> decided) {
    ex.identity(context.identity());
    if (decided.failed()) {
      LOG.log(Level.SEVERE, "a policy failed on route " + ex.route.id(), decided.cause());
      ex.answer(Refusal.of(500, "internal_error", "the gateway failed to check the request"));
      return Next.ANSWERED;
    }
    if (decided.result() != null) {
      ex.answer(decided.result());
      return Next.ANSWERED;
    }
    return Next.CONTINUE;
  }

  @Override
  public String onUpstreamUri(Exchange ex, String uri) {
    PolicyContext context = ex.get(CONTEXT);
    return context == null ? uri : context.upstreamUri(uri);
  }

  @Override
  public Predicate<CharSequence> removedClientHeaders(Exchange ex) {
    PolicyContext context = ex.get(CONTEXT);
    return context == null || !context.removesUpstreamHeaders() ? null : context::removesUpstream;
  }

  @Override
  public void onUpstreamHead(Exchange ex, UpstreamPool pool, UpstreamRequest request) {
    PolicyContext context = ex.get(CONTEXT);
    if (context != null) {
      context.writeUpstream(request.headers());
    }
  }
}
