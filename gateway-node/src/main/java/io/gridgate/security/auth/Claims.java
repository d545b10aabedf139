package io.gridgate.security.auth;

import io.gridgate.security.Identity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/** Turns verified claims into an {@link Identity} and into header values. */
final class Claims {
  private Claims() {}

  /** Subject from {@code sub}, scopes from {@code scope} or {@code scp}, roles from {@code rolesClaim}; no consumer or groups yet. */
  static Identity identity(JsonObject claims, String rolesClaim, Identity.Credential credential) {
    Set<String> scopes = words(claims.getValue("scope"));
    scopes.addAll(words(claims.getValue("scp")));
    Object sub = claims.getValue("sub");
    return new Identity(null, sub instanceof String s ? s : null, Set.of(), scopes, words(claims.getValue(rolesClaim)),
        claims, credential);
  }

  /** A string split on spaces and commas, or the strings of an array. */
  static Set<String> words(Object value) {
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      for (String word : s.split("[\\s,]+")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(item -> {
        if (item instanceof String s) {
          out.add(s);
        }
      });
    }
    return out;
  }

  /** A claim as a header value: strings as they are, arrays comma-joined, objects as JSON; null when absent. */
  static String headerValue(JsonObject claims, String claim) {
    Object value = claims.getValue(claim);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonArray array) {
      StringBuilder joined = new StringBuilder();
      array.forEach(item -> joined.append(joined.length() > 0 ? "," : "").append(item));
      return joined.toString();
    }
    return value instanceof JsonObject object ? object.encode() : String.valueOf(value);
  }
}
