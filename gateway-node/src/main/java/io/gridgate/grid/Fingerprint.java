package io.gridgate.grid;

import java.io.Serializable;

/**
 * How a replicated map's value enters its {@link Digest}: a 64-bit fingerprint, and until when the
 * entry counts (an entry about to expire is left out on both sides, so expiry is never taken for
 * staleness). Sent to the members inside {@link DigestAggregator}, hence serializable.
 */
interface Fingerprint<V> extends Serializable {
  long of(V value);

  /** Wall-clock millis after which the entry no longer counts; never by default. */
  default long countsUntil(V value) {
    return Long.MAX_VALUE;
  }
}
