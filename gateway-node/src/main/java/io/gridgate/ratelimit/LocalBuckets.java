package io.gridgate.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Buckets held by this node alone, with its own clock: limits of scope {@code local}, and a cluster
 * limit's node share while the grid cannot answer. Safe to use from every event loop.
 */
final class LocalBuckets {
  /** A bucket untouched for this long (and at least two of its windows) is forgotten. */
  private static final long IDLE_MILLIS = 60_000;
  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final LongSupplier clockMillis;

  LocalBuckets(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
  }

  private static final class Slot {
    long[] state;
    long touched;
  }

  /** One permit for {@code key} under {@code rule}, decided now. */
  LimitDecision takeOne(String key, BucketRule rule) {
    long now = clockMillis.getAsLong();
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    Grant grant;
    synchronized (slot) {
      if (slot.state == null) {
        slot.state = rule.newState(now);
      }
      slot.touched = now;
      grant = rule.take(slot.state, now, 1, 1);
    }
    return LimitDecision.of(grant, rule.limit());
  }

  /** Returns one permit of the current window that a later limit made unnecessary. */
  void giveBackOne(String key, BucketRule rule) {
    Slot slot = slots.get(key);
    if (slot != null) {
      long now = clockMillis.getAsLong();
      synchronized (slot) {
        rule.giveBack(slot.state, now, slot.state[0], 1);
      }
    }
  }

  /** Forgets buckets nobody used for a while (their state has long reset). */
  void forgetIdle(long windowMillis) {
    long cutoff = clockMillis.getAsLong() - Math.max(IDLE_MILLIS, 2 * windowMillis);
    slots.values().removeIf(slot -> slot.touched < cutoff);
  }
}
