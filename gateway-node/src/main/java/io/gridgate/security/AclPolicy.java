package io.gridgate.security;

import io.gridgate.config.AclSpec;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * A route's access rules for an authenticated request: denied groups (403), allowed groups (403
 * unless one matches), required scopes (403 {@code insufficient_scope}) and roles. Groups include
 * the registered consumer's (see {@link ConsumerGroupsPolicy}). Refusal bodies say what is missing
 * without listing the configured groups or roles; a scope refusal names the required scopes only
 * in its RFC 6750 {@code WWW-Authenticate} challenge.
 */
final class AclPolicy implements RequestPolicy {
  private static final Refusal NO_IDENTITY = new Refusal(401, "unauthorized", "this route needs a credential",
      Map.of("WWW-Authenticate", "Bearer realm=\"gridgate\""));
  private static final Refusal DENIED_GROUP = Refusal.of(403, "forbidden", "a group of the caller may not use this route");
  private static final Refusal NO_ALLOWED_GROUP =
      Refusal.of(403, "forbidden", "the caller is in none of the groups this route is for");
  private static final Refusal MISSING_ROLE = Refusal.of(403, "forbidden", "the credential lacks a role this route needs");
  private final AclSpec acl;
  private final Refusal missingScope;

  AclPolicy(AclSpec acl) {
    this.acl = acl;
    this.missingScope = new Refusal(403, "insufficient_scope", "the credential lacks a scope this route needs",
        Map.of("WWW-Authenticate", "Bearer realm=\"gridgate\", error=\"insufficient_scope\", scope=\""
            + String.join(" ", acl.scopes()) + "\""));
  }

  @Override
  public Future<Refusal> apply(PolicyContext context) {
    return Future.succeededFuture(check(context.identity()));
  }

  private Refusal check(Identity identity) {
    if (identity == null) {
      return NO_IDENTITY;
    }
    Set<String> groups = identity.groups();
    for (String denied : acl.denyGroups()) {
      if (groups.contains(denied)) {
        return DENIED_GROUP;
      }
    }
    if (!acl.allowGroups().isEmpty() && acl.allowGroups().stream().noneMatch(groups::contains)) {
      return NO_ALLOWED_GROUP;
    }
    if (!identity.scopes().containsAll(acl.scopes())) {
      return missingScope;
    }
    if (!identity.roles().containsAll(acl.roles())) {
      return MISSING_ROLE;
    }
    return null;
  }
}
