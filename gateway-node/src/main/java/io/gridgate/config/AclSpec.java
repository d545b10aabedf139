package io.gridgate.config;

import java.util.Set;

/**
 * Who may use a route once authenticated: groups allowed (empty: any) and denied, and the scopes
 * and roles the credential must all carry.
 */
public record AclSpec(Set<String> allowGroups, Set<String> denyGroups, Set<String> scopes, Set<String> roles) {
  public AclSpec {
    allowGroups = Set.copyOf(allowGroups);
    denyGroups = Set.copyOf(denyGroups);
    scopes = Set.copyOf(scopes);
    roles = Set.copyOf(roles);
  }
}
