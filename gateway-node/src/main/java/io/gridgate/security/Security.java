package io.gridgate.security;

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
   * before them, are steps of their own (proxy/IpFilterStep, CorsStep).
   */
  public static PolicyChains policyChains(Vertx vertx, ConsumerDirectory consumers, RevocationList revocations) {
    return new PolicyChains(List.of(
        new ClientCertificateFactory(),
        (route, config) -> route.auth() == null || route.auth().apiKey() == null
            ? null : new ApiKeyPolicy(route.auth(), consumers),
        new AuthPolicyFactory(vertx),
        new IdentityHeadersFactory(),
        (route, config) -> route.auth() == null ? null : new RevocationPolicy(revocations),
        (route, config) -> route.auth() == null ? null : new ConsumerGroupsPolicy(consumers),
        (route, config) -> route.acl() == null ? null : new AclPolicy(route.acl())));
  }
}
