package io.gridgate.security;

import io.gridgate.config.AclSpec;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * A route's access rules for an authenticated request: denied groups (403), allowed groups (403
 * unless one matches), required scopes (403 {@code insufficient_scope}) and roles. Groups include
 * the registered consumer's (see {@link ConsumerGroupsPolicy}).
 */
final class AclPolicy implements RequestPolicy {
  private final AclSpec acl;

  AclPolicy(AclSpec acl) {
    this.acl = acl;
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    return Future.succeededFuture(check(context.identity()));
  }

  private Refusal check(Identity identity) {
    if (identity == null) {
      return new Refusal(401, "unauthorized", "this route needs a credential",
          Map.of("WWW-Authenticate", "Bearer realm=\"gridgate\""));
    }
    Set<String> groups = identity.groups();
    for (String denied : acl.denyGroups()) {
      if (groups.contains(denied)) {
        return Refusal.of(403, "forbidden", "group '" + denied + "' may not use this route");
      }
    }
    if (!acl.allowGroups().isEmpty() && acl.allowGroups().stream().noneMatch(groups::contains)) {
      return Refusal.of(403, "forbidden", "this route is for the groups " + acl.allowGroups());
    }
    if (!identity.scopes().containsAll(acl.scopes())) {
      return new Refusal(403, "insufficient_scope", "this route needs the scopes " + acl.scopes(),
          Map.of("WWW-Authenticate", "Bearer realm=\"gridgate\", error=\"insufficient_scope\", scope=\""
              + String.join(" ", acl.scopes()) + "\""));
    }
    if (!identity.roles().containsAll(acl.roles())) {
      return Refusal.of(403, "forbidden", "this route needs the roles " + acl.roles());
    }
    return null;
  }
}
