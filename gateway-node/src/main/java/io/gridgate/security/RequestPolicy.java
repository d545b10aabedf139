package io.gridgate.security;

import io.vertx.core.Future;

/**
 * One step of a route's policy chain, run before its rate limits: client certificate,
 * authentication, revocation, ACL. A policy may read and change the {@link PolicyContext}.
 */
public interface RequestPolicy {

  /**
   * Null to go on to the next step, or the answer that ends the exchange at the gateway. A future
   * that is not yet complete completes on the caller's context.
   */
  Future<Refusal> apply(PolicyContext context);
}
