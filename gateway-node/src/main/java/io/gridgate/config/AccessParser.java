package io.gridgate.config;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses a route's {@code acl} section and the API-key part of its {@code auth} section. */
final class AccessParser {
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9._~-]+");

  /** {@code api_key: {header: X-API-Key, query: apikey}} inside a route's {@code auth}; null when absent. */
  static AuthSpec.ApiKeySpec apiKey(ConfigNode n) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("header", "query"));
    String header = n.get("header").string(n.get("query").isMissing() ? "X-API-Key" : null);
    String query = n.get("query").string(null);
    if (header != null && !HEADER.matcher(header).matches()) {
      n.get("header").error("not a valid header name: '" + header + "'");
    }
    if (query != null && !QUERY.matcher(query).matches()) {
      n.get("query").error("not a valid query parameter name: '" + query + "'");
    }
    return new AuthSpec.ApiKeySpec(header, query);
  }

  /** {@code acl: {allow_groups, deny_groups, scopes, roles}}; null when absent. */
  AclSpec acl(ConfigNode n, AuthSpec auth) {
    if (n.isMissing()) {
      return null;
    }
    n.allowOnly(Set.of("allow_groups", "deny_groups", "scopes", "roles"));
    if (auth == null) {
      n.error("needs the route's auth section: an ACL applies to authenticated requests");
    }
    return new AclSpec(names(n.get("allow_groups")), names(n.get("deny_groups")), names(n.get("scopes")),
        names(n.get("roles")));
  }

  private static Set<String> names(ConfigNode n) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : n.strings()) {
      if (s.isBlank() || s.contains(" ")) {
        n.error("names must be non-empty and without spaces (was '" + s + "')");
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
