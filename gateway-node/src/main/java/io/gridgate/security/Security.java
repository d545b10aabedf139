package io.gridgate.security;

import java.util.List;

/** The node's policy chain compiler, with every kind of policy in its fixed order. */
public final class Security {
  private Security() {}

  /** IP filter → CORS → client certificate → authentication → revocation → consumer groups → ACL, on this node's replicas. */
  public static PolicyChains policyChains(ConsumerDirectory consumers, RevocationList revocations) {
    return new PolicyChains(List.of(
        new IpFilterFactory(),
        new CorsFactory(),
        new ClientCertificateFactory(),
        (route, config) -> route.auth() == null || route.auth().apiKey() == null
            ? null : new ApiKeyPolicy(route.auth().apiKey(), consumers),
        (route, config) -> route.auth() == null ? null : new RevocationPolicy(revocations),
        (route, config) -> route.auth() == null ? null : new ConsumerGroupsPolicy(consumers),
        (route, config) -> route.acl() == null ? null : new AclPolicy(route.acl())));
  }
}
