package io.gridgate.config;

import java.util.List;

/** Client address blocks to allow and to deny; an empty allow list allows every address not denied. */
public record IpRules(List<Cidr> allow, List<Cidr> deny) {
  public static final IpRules NONE = new IpRules(List.of(), List.of());

  public IpRules {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public boolean isEmpty() {
    return allow.isEmpty() && deny.isEmpty();
  }
}
