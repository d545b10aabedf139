package io.gridgate.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A registered consumer: its id, its groups and its API keys, of which only SHA-256 hashes are
 * ever stored. Its JSON form is what the grid holds.
 */
public record Consumer(String id, Set<String> groups, List<ApiKey> keys) {
  public Consumer {
    groups = Set.copyOf(groups);
    keys = List.copyOf(keys);
  }

  /** One API key of a consumer: an id to manage it by, the key's SHA-256 (hex) and when it was created. */
  public record ApiKey(String id, String sha256, long createdAtMillis) {}

  public JsonObject toJson() {
    JsonArray keyArray = new JsonArray();
    keys.forEach(k -> keyArray.add(new JsonObject().put("id", k.id()).put("sha256", k.sha256())
        .put("created_at_ms", k.createdAtMillis())));
    return new JsonObject().put("id", id).put("groups", new JsonArray(List.copyOf(groups))).put("keys", keyArray);
  }

  public static Consumer fromJson(JsonObject json) {
    Set<String> groups = new LinkedHashSet<>();
    json.getJsonArray("groups", new JsonArray()).forEach(g -> groups.add(String.valueOf(g)));
    List<ApiKey> keys = json.getJsonArray("keys", new JsonArray()).stream()
        .map(k -> (JsonObject) k)
        .map(k -> new ApiKey(k.getString("id"), k.getString("sha256"), k.getLong("created_at_ms", 0L)))
        .toList();
    return new Consumer(json.getString("id"), groups, keys);
  }
}
