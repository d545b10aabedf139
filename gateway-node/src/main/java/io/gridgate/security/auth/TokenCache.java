package io.gridgate.security.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded least-recently-used cache of what is known about tokens, each answer kept until its
 * own time to live: introspection answers by token digest (a null value: not active), verified
 * JWTs' identities by token, each under its {@link TokenKey}. Entries age by the node's monotonic
 * clock. Shared by event loops.
 */
final class TokenCache<V> {
  /** A cached answer. */
  record Entry<V>(V value, long expiresAtNanos) {}

  private final Map<TokenKey, Entry<V>> entries;
  private final LongSupplier nanos;

  TokenCache(int maxSize, LongSupplier nanos) {
    this.nanos = nanos;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<TokenKey, Entry<V>> eldest) {
        return size() > maxSize;
      }
    };
  }

  /** The live entry for {@code key}, or null. */
  synchronized Entry<V> get(TokenKey key) {
    Entry<V> entry = entries.get(key);
    if (entry != null && entry.expiresAtNanos() - nanos.getAsLong() <= 0) {
      entries.remove(key);
      return null;
    }
    return entry;
  }

  synchronized void put(TokenKey key, V value, long ttlNanos) {
    if (ttlNanos > 0) {
      entries.put(key, new Entry<>(value, nanos.getAsLong() + ttlNanos));
    }
  }
}
