package io.gridgate.security.auth;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded least-recently-used cache of introspection answers by token digest: active claims
 * until their TTL, and "inactive" (null claims) for the negative TTL. Shared by event loops.
 */
final class IntrospectionCache {
  /** A cached answer; {@code claims} null means the token is not active. */
  record Entry(JsonObject claims, long expiresAtNanos) {}

  private final Map<String, Entry> entries;

  IntrospectionCache(int maxSize) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxSize;
      }
    };
  }

  /** The live entry for {@code digest}, or null. */
  synchronized Entry get(String digest) {
    Entry entry = entries.get(digest);
    if (entry != null && entry.expiresAtNanos() - System.nanoTime() <= 0) {
      entries.remove(digest);
      return null;
    }
    return entry;
  }

  synchronized void put(String digest, JsonObject claims, long ttlNanos) {
    if (ttlNanos > 0) {
      entries.put(digest, new Entry(claims, System.nanoTime() + ttlNanos));
    }
  }
}
