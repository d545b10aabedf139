package io.gridgate.grid;

import java.io.Serializable;

/**
 * An order-independent summary of a map's entries: how many there are and the sum of a 64-bit hash
 * of each (key, value fingerprint). Two copies of a map with equal digests hold the same entries
 * (unless 64-bit hashes collide); computed alike on the grid ({@link DigestAggregator}) and on a
 * node's replica ({@link MapReplica}).
 */
record Digest(long count, long sum) implements Serializable {
  static final Digest EMPTY = new Digest(0, 0);

  /** This digest with one more entry. */
  Digest plus(String key, long valueFingerprint) {
    return new Digest(count + 1, sum + entryHash(key, valueFingerprint));
  }

  Digest plus(Digest other) {
    return new Digest(count + other.count, sum + other.sum);
  }

  /** The hash of one entry: the key's FNV-1a hash and the value's fingerprint, mixed (MurmurHash3's finaliser). */
  static long entryHash(String key, long valueFingerprint) {
    return mix(text(key) * 0x9E3779B97F4A7C15L + valueFingerprint);
  }

  /** A 64-bit FNV-1a hash of {@code s}'s characters, the same on every JVM. */
  static long text(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
