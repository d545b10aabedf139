package io.gridgate.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Predicate;

/**
 * The node's cached answers, shared by its event loops: least recently used entries are evicted
 * once the stored bytes exceed the budget. Every operation is a short {@code synchronized} section
 * (no I/O, no waiting). A purge raises the epoch, so that copies begun before it are not stored.
 */
public final class ResponseStore {
  private final long maxBytes;
  private final LinkedHashMap<String, Slot> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private long epoch;

  public ResponseStore(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The memory budget in bytes; 0 means the node caches nothing. */
  public long maxBytes() {
    return maxBytes;
  }

  /** The fresh entry under {@code key}, or null; an expired entry is dropped. */
  public synchronized CachedResponse get(String key, long nowNanos) {
    Slot slot = entries.get(key);
    if (slot == null) {
      return null;
    }
    if (!slot.response.isFresh(nowNanos)) {
      remove(key);
      return null;
    }
    return slot.response;
  }

  /** The current purge epoch, taken when a copy begins. */
  public synchronized long epoch() {
    return epoch;
  }

  /**
   * Stores {@code entry} under {@code key} (replacing what was there) unless a purge happened since
   * {@code epochAtStart} or it exceeds the whole budget; evicts least recently used entries to fit.
   */
  public synchronized boolean put(String key, CachedResponse entry, long epochAtStart) {
    long size = entry.size(key);
    if (epochAtStart != epoch || size > maxBytes) {
      return false;
    }
    remove(key);
    Iterator<Slot> eldest = entries.values().iterator();
    while (bytes + size > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().size;
      eldest.remove();
    }
    entries.put(key, new Slot(entry, size));
    bytes += size;
    return true;
  }

  /** Drops every entry; returns how many there were. */
  public int purgeAll() {
    return purge(entry -> true);
  }

  /** Drops the entries of route {@code routeId}; returns how many there were. */
  public int purgeRoute(String routeId) {
    return purge(entry -> entry.routeId().equals(routeId));
  }

  private synchronized int purge(Predicate<CachedResponse> which) {
    epoch++;
    int removed = 0;
    Iterator<Slot> it = entries.values().iterator();
    while (it.hasNext()) {
      Slot slot = it.next();
      if (which.test(slot.response)) {
        bytes -= slot.size;
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  private void remove(String key) {
    Slot slot = entries.remove(key);
    if (slot != null) {
      bytes -= slot.size;
    }
  }

  /** Bytes stored, as counted against the budget. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Entries stored. */
  public synchronized int size() {
    return entries.size();
  }

  /** An entry with the size it was charged. */
  private record Slot(CachedResponse response, long size) {}
}
