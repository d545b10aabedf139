package io.gridgate.security;

import io.gridgate.clock.NodeClock;
import io.gridgate.security.auth.AuthPolicyFactory;
import io.gridgate.security.auth.IdentityHeadersFactory;
import io.vertx.core.Vertx;
import java.util.List;

/** The node's policy chain compiler, with every kind of policy in its fixed order. */
public final class Security {
  private Security() {}

  /**
   * Client certificate → authentication (API key, then bearer tokens) → identity headers →
   * revocation → consumer groups → ACL, on this node's replicas. The IP filter and CORS, which run
   * before them, are steps of their own (proxy/IpFilterStep, CorsStep). Tokens' expiry, cached
   * token answers, JWKS refreshes and revocations' ends are timed by {@code clock}.
   */
  public static PolicyChains policyChains(Vertx vertx, ConsumerDirectory consumers, RevocationList revocations,
                                          NodeClock clock) {
    return new PolicyChains(List.of(
        new ClientCertificateFactory(),
        (route, config) -> route.auth() == null || route.auth().apiKey() == null
            ? null : new ApiKeyPolicy(route.auth(), consumers),
        new AuthPolicyFactory(vertx, clock),
        new IdentityHeadersFactory(),
        (route, config) -> route.auth() == null ? null : new RevocationPolicy(revocations, clock.millis()),
        (route, config) -> route.auth() == null ? null : new ConsumerGroupsPolicy(consumers),
        (route, config) -> route.acl() == null ? null : new AclPolicy(route.acl())));
  }
}
