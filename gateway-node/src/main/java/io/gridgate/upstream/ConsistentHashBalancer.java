package io.gridgate.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * A hash ring with virtual nodes (160 per unit of weight). A key goes to the first usable target
 * clockwise from its hash, so a target that leaves only remaps the keys it held.
 */
final class ConsistentHashBalancer implements LoadBalancer {
  static final int POINTS_PER_WEIGHT = 160;

  private final long[] ring;
  private final Target[] owners;

  ConsistentHashBalancer(Target[] targets) {
    int points = 0;
    for (Target t : targets) {
      points += t.weight() * POINTS_PER_WEIGHT;
    }
    long[][] entries = new long[points][];
    int k = 0;
    for (int i = 0; i < targets.length; i++) {
      for (int v = 0; v < targets[i].weight() * POINTS_PER_WEIGHT; v++) {
        entries[k++] = new long[] {hash(targets[i].spec().address() + "#" + v), i};
      }
    }
    Arrays.sort(entries, (a, b) -> Long.compare(a[0], b[0]));
    this.ring = new long[points];
    this.owners = new Target[points];
    for (int i = 0; i < points; i++) {
      ring[i] = entries[i][0];
      owners[i] = targets[(int) entries[i][1]];
    }
  }

  @Override
  public Target pick(String hashKey, Set<Target> tried, long nowNanos) {
    int start = Arrays.binarySearch(ring, hash(hashKey == null ? "" : hashKey));
    if (start < 0) {
      start = -start - 1;
    }
    for (int i = 0; i < ring.length; i++) {
      Target t = owners[(start + i) % ring.length];
      if (LoadBalancer.usable(t, tried, nowNanos)) {
        return t;
      }
    }
    return null;
  }

  /** 64-bit FNV-1a over UTF-8 bytes, finished with MurmurHash3's fmix64 for an even spread. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
