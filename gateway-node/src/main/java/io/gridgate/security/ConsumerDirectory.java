package io.gridgate.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of the cluster's consumers, fed by the grid's entry events: consumers by id
 * and by the hash of each of their API keys, so authenticating a key costs a hash and a lookup.
 */
public final class ConsumerDirectory {
  private final Map<String, Consumer> byId = new ConcurrentHashMap<>();
  private final Map<String, Consumer> byKeyHash = new ConcurrentHashMap<>();

  public synchronized void put(Consumer consumer) {
    remove(consumer.id());
    byId.put(consumer.id(), consumer);
    consumer.keys().forEach(key -> byKeyHash.put(key.sha256(), consumer));
  }

  public synchronized void remove(String id) {
    Consumer old = byId.remove(id);
    if (old != null) {
      old.keys().forEach(key -> byKeyHash.remove(key.sha256(), old));
    }
  }

  /** The consumer with id {@code id}, or null. */
  public Consumer byId(String id) {
    return id == null ? null : byId.get(id);
  }

  /** The consumer owning the API key whose SHA-256 (hex) is {@code sha256}, or null. */
  public Consumer byKeyHash(String sha256) {
    return byKeyHash.get(sha256);
  }
}
