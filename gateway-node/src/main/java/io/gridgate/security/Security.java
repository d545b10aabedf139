package io.gridgate.security;

import java.util.List;

/** The node's policy chain compiler, with every kind of policy in its fixed order. */
public final class Security {
  private Security() {}

  /** IP filter → CORS → client certificate → authentication → revocation → ACL. */
  public static PolicyChains policyChains() {
    return new PolicyChains(List.of(
        new IpFilterFactory(),
        new CorsFactory(),
        new ClientCertificateFactory()));
  }
}
