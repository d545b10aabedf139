package io.gridgate.security;

import io.gridgate.config.Cidr;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.IpRules;
import io.gridgate.config.RouteSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses clients by address (the trusted client address, after X-Forwarded-For from trusted
 * proxies): an address in any deny list is refused, and each allow list (global, route) that
 * exists must contain it. A client address that is not an IP literal (a malformed forwarded entry)
 * is refused by any rule.
 */
public final class IpFilter {
  /** The answer to a refused client. */
  public static final Refusal DENIED = Refusal.of(403, "address_denied", "the client address is not allowed here");

  private final List<Cidr> deny;
  private final List<List<Cidr>> allowLists;

  private IpFilter(IpRules global, IpRules route) {
    List<Cidr> denied = new ArrayList<>(global.deny());
    denied.addAll(route.deny());
    this.deny = List.copyOf(denied);
    List<List<Cidr>> allows = new ArrayList<>();
    for (IpRules rules : List.of(global, route)) {
      if (!rules.allow().isEmpty()) {
        allows.add(rules.allow());
      }
    }
    this.allowLists = List.copyOf(allows);
  }

  /** The filter of {@code route}, or null when neither the document nor the route has IP rules. */
  public static IpFilter of(GatewayConfig config, RouteSpec route) {
    if (config.ipRules().isEmpty() && route.ipRules().isEmpty()) {
      return null;
    }
    return new IpFilter(config.ipRules(), route.ipRules());
  }

  /** Whether {@code clientAddress} (the trusted client address) may use the route. */
  public boolean allows(String clientAddress) {
    return allows(Cidr.literal(clientAddress));
  }

  private boolean allows(byte[] address) {
    if (address == null || anyContains(deny, address)) {
      return false;
    }
    for (List<Cidr> allow : allowLists) {
      if (!anyContains(allow, address)) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyContains(List<Cidr> blocks, byte[] address) {
    for (Cidr cidr : blocks) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
