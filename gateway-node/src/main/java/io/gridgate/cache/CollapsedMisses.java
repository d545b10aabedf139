package io.gridgate.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request collapsing: while the first miss of a key is being answered (and copied), later misses
 * of that key wait for it instead of each going upstream; when it ends, stored or not, they are
 * woken to look the key up again. A lead older than the longest an exchange may last is taken
 * over, so a leader that never settles cannot hold a key (its waiters are left to their own time
 * limit). Shared by the node's event loops.
 */
final class CollapsedMisses {
  private final ConcurrentHashMap<String, Lead> leads = new ConcurrentHashMap<>();

  /** The new lead of {@code key}'s miss for the caller, or null when a lead younger than {@code maxAgeNanos} exists. */
  Lead lead(String key, long maxAgeNanos) {
    long now = System.nanoTime();
    Lead mine = new Lead(now, new ArrayList<>());
    Lead current = leads.compute(key, (k, lead) -> lead == null || now - lead.sinceNanos >= maxAgeNanos ? mine : lead);
    return current == mine ? mine : null;
  }

  /** Queues {@code wake} behind the lead of {@code key}; false when there is none (it just ended). */
  boolean await(String key, Runnable wake) {
    boolean[] queued = {false};
    leads.computeIfPresent(key, (k, lead) -> {
      lead.waiters.add(wake);
      queued[0] = true;
      return lead;
    });
    return queued[0];
  }

  /** How many requests wait for a lead now, every key counted. */
  int waiting() {
    int[] count = {0};
    for (String key : leads.keySet()) {
      leads.computeIfPresent(key, (k, lead) -> {
        count[0] += lead.waiters.size();
        return lead;
      });
    }
    return count[0];
  }

  /** {@code lead} of {@code key} ended: its waiters are woken, unless the lead was taken over. */
  void settle(String key, Lead lead) {
    if (leads.remove(key, lead)) {
      lead.waiters.forEach(Runnable::run);
    }
  }

  /** One request's lead of a key: since when, and who waits for it (changed only inside the map's compute). */
  record Lead(long sinceNanos, List<Runnable> waiters) {}
}
