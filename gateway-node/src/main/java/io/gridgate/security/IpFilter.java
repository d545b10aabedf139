package io.gridgate.security;

import io.gridgate.config.Cidr;
import io.gridgate.config.IpRules;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses clients by address (the trusted client address, after X-Forwarded-For from trusted
 * proxies): an address in any deny list is refused, and each allow list (global, route) that
 * exists must contain it. A client address that is not an IP literal (a malformed forwarded entry)
 * is refused by any rule.
 */
final class IpFilter implements RequestPolicy {
  private static final Future<Refusal> DENIED =
      Future.succeededFuture(Refusal.of(403, "address_denied", "the client address is not allowed here"));

  private final List<Cidr> deny;
  private final List<List<Cidr>> allowLists;

  IpFilter(IpRules global, IpRules route) {
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

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    return allows(Cidr.literal(context.clientAddress())) ? Future.succeededFuture() : DENIED;
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
