package io.gridgate.security;

import io.vertx.core.Future;
import java.util.List;

/** A route's policies in their fixed order; the first refusal ends the chain. */
public final class PolicyChain {
  private final RequestPolicy[] policies;

  public PolicyChain(List<RequestPolicy> policies) {
    this.policies = policies.toArray(RequestPolicy[]::new);
  }

  public boolean isEmpty() {
    return policies.length == 0;
  }

  /** Null when every policy let the request through, else the first refusal. */
  public Future<Refusal> run(PolicyContext context) {
    return from(0, context);
  }

  private Future<Refusal> from(int index, PolicyContext context) {
    for (int i = index; i < policies.length; i++) {
      Future<Refusal> step = policies[i].apply(context);
      if (!step.succeeded()) {
        int next = i + 1;
        return step.compose(refusal -> refusal != null ? Future.succeededFuture(refusal) : from(next, context));
      }
      if (step.result() != null) {
        return step;
      }
    }
    return Future.succeededFuture();
  }
}
