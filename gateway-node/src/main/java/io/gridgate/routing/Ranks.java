package io.gridgate.routing;

import java.util.Arrays;

/** A growable list of route ranks (positions in a route table's match order). */
final class Ranks {
  private int[] values = new int[8];
  private int size;

  void add(int rank) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = rank;
  }

  void addAll(Ranks other) {
    if (other == null) {
      return;
    }
    if (size + other.size > values.length) {
      values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
    }
    System.arraycopy(other.values, 0, values, size, other.size);
    size += other.size;
  }

  /** Puts the ranks in match order and drops repeats (a route reached through two of its hosts). */
  void sortDistinct() {
    Arrays.sort(values, 0, size);
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (kept == 0 || values[i] != values[kept - 1]) {
        values[kept++] = values[i];
      }
    }
    size = kept;
  }

  int size() {
    return size;
  }

  int get(int i) {
    return values[i];
  }

  /** The ranks 0 to {@code count - 1}: every route of a table, in match order. */
  static Ranks all(int count) {
    Ranks all = new Ranks();
    all.values = new int[Math.max(count, 1)];
    for (int i = 0; i < count; i++) {
      all.values[i] = i;
    }
    all.size = count;
    return all;
  }
}
