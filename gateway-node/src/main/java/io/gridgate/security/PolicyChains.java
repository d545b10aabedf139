package io.gridgate.security;

import io.gridgate.config.GatewayConfig;
import io.gridgate.config.RouteSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles each route's policy chain, once per configuration version, in the fixed order
 * client certificate → authentication → revocation → ACL (the order of {@code factories}).
 */
public final class PolicyChains {
  private final List<PolicyFactory> factories;

  public PolicyChains(List<PolicyFactory> factories) {
    this.factories = List.copyOf(factories);
  }

  /** The chains of the routes that have any policy, by route id. */
  public Map<String, PolicyChain> compile(GatewayConfig config) {
    Map<String, PolicyChain> chains = new HashMap<>();
    for (RouteSpec route : config.routes()) {
      List<RequestPolicy> policies = new ArrayList<>();
      for (PolicyFactory factory : factories) {
        RequestPolicy policy = factory.create(route, config);
        if (policy != null) {
          policies.add(policy);
        }
      }
      if (!policies.isEmpty()) {
        chains.put(route.id(), new PolicyChain(policies));
      }
    }
    return Map.copyOf(chains);
  }
}
