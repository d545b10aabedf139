package io.gridgate.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A registered consumer: its id, its groups, its API keys (of which only SHA-256 hashes are ever
 * stored) and the JWT subjects that are this consumer. Its JSON form is what the grid and each
 * node's disk hold. Every change raises its {@code revision} (the higher one wins when copies
 * meet); a deleted consumer stays as a tombstone ({@code deleted}) so that an older copy cannot
 * bring it back.
 */
public record Consumer(String id, Set<String> groups, List<ApiKey> keys, Set<String> subjects, long revision,
                       boolean deleted) {
  public Consumer {
    groups = Set.copyOf(groups);
    keys = List.copyOf(keys);
    subjects = Set.copyOf(subjects);
  }

  /** One API key of a consumer: an id to manage it by, the key's SHA-256 (hex) and when it was created. */
  public record ApiKey(String id, String sha256, long createdAtMillis) {}

  /** The tombstone of a consumer deleted at {@code revision}. */
  public static Consumer tombstone(String id, long revision) {
    return new Consumer(id, Set.of(), List.of(), Set.of(), revision, true);
  }

  /** This consumer stored at {@code newRevision}. */
  public Consumer withRevision(long newRevision) {
    return new Consumer(id, groups, keys, subjects, newRevision, deleted);
  }

  /** The revision of a change made at {@code nowMillis} to a consumer stored at {@code previous}: strictly higher. */
  public static long nextRevision(long previous, long nowMillis) {
    return Math.max(nowMillis, previous + 1);
  }

  /** True when the stored form {@code offered} should replace {@code current} (null: nothing stored). */
  public static boolean supersedes(String offered, String current) {
    return current == null || revisionOf(offered) > revisionOf(current);
  }

  /** The revision of a consumer's stored form; one stored before revisions existed has 0. */
  public static long revisionOf(String json) {
    return new JsonObject(json).getLong("revision", 0L);
  }

  public JsonObject toJson() {
    if (deleted) {
      return new JsonObject().put("id", id).put("revision", revision).put("deleted", true);
    }
    JsonArray keyArray = new JsonArray();
    keys.forEach(k -> keyArray.add(new JsonObject().put("id", k.id()).put("sha256", k.sha256())
        .put("created_at_ms", k.createdAtMillis())));
    return new JsonObject().put("id", id).put("groups", new JsonArray(List.copyOf(groups))).put("keys", keyArray)
        .put("jwt_subjects", new JsonArray(List.copyOf(subjects))).put("revision", revision);
  }

  public static Consumer fromJson(JsonObject json) {
    List<ApiKey> keys = json.getJsonArray("keys", new JsonArray()).stream()
        .map(k -> (JsonObject) k)
        .map(k -> new ApiKey(k.getString("id"), k.getString("sha256"), k.getLong("created_at_ms", 0L)))
        .toList();
    return new Consumer(json.getString("id"), strings(json.getJsonArray("groups")), keys,
        strings(json.getJsonArray("jwt_subjects")), json.getLong("revision", 0L), json.getBoolean("deleted", false));
  }

  private static Set<String> strings(JsonArray array) {
    Set<String> out = new LinkedHashSet<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
