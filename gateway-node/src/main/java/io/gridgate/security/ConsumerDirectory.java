package io.gridgate.security;

import io.gridgate.config.ConsumerSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of the cluster's consumers: those of the grid (fed by its entry events,
 * tombstones and older revisions ignored) and those declared in the applied configuration
 * document, which own their ids (a declared consumer hides a grid one of the same id). Indexed by
 * id, by the hash of each API key and by JWT subject, so authenticating costs a hash and a lookup.
 */
public final class ConsumerDirectory {
  private final Map<String, Consumer> fromGrid = new HashMap<>();
  private Map<String, Consumer> declared = Map.of();
  private final Map<String, Consumer> byId = new ConcurrentHashMap<>();
  private final Map<String, Consumer> byKeyHash = new ConcurrentHashMap<>();
  private final Map<String, Consumer> bySubject = new ConcurrentHashMap<>();

  /** A grid consumer (or its tombstone); ignored when an equal or newer revision is already here. */
  public synchronized void put(Consumer consumer) {
    Consumer known = fromGrid.get(consumer.id());
    if (known != null && known.revision() > consumer.revision()) {
      return;
    }
    unindex(consumer.id());
    fromGrid.put(consumer.id(), consumer);
    index(consumer.id());
  }

  /** A grid entry removed (a tombstone past its retention). */
  public synchronized void remove(String id) {
    unindex(id);
    fromGrid.remove(id);
    index(id);
  }

  /** Replaces the consumers declared in the configuration document. */
  public synchronized void declare(Map<String, ConsumerSpec> specs) {
    Map<String, Consumer> consumers = new HashMap<>();
    specs.forEach((id, spec) -> consumers.put(id, new Consumer(id, spec.groups(),
        spec.apiKeys().stream().map(k -> new Consumer.ApiKey(k.id(), k.sha256(), 0)).toList(), spec.jwtSubjects(), 0,
        false)));
    Set<String> ids = new HashSet<>(declared.keySet());
    ids.addAll(consumers.keySet());
    ids.forEach(this::unindex);
    declared = Map.copyOf(consumers);
    ids.forEach(this::index);
  }

  /** The consumers declared in the applied configuration document, by id. */
  public synchronized Map<String, Consumer> declared() {
    return declared;
  }

  private void unindex(String id) {
    Consumer old = byId.remove(id);
    if (old != null) {
      old.keys().forEach(key -> byKeyHash.remove(key.sha256(), old));
      old.subjects().forEach(subject -> bySubject.remove(subject, old));
    }
  }

  private void index(String id) {
    Consumer effective = declared.containsKey(id) ? declared.get(id) : fromGrid.get(id);
    if (effective != null && !effective.deleted()) {
      byId.put(id, effective);
      effective.keys().forEach(key -> byKeyHash.put(key.sha256(), effective));
      effective.subjects().forEach(subject -> bySubject.put(subject, effective));
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

  /** The consumer a JWT subject is mapped to, or null. */
  public Consumer bySubject(String subject) {
    return subject == null ? null : bySubject.get(subject);
  }
}
