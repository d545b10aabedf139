package io.gridgate.grid;

import com.hazelcast.aggregation.Aggregator;
import java.util.Map;

/**
 * The {@link Digest} of an IMap, computed by each member over the entries it owns and combined by
 * Hazelcast: no entry leaves its owner. Entries counting only until {@code liveAfterMillis} or
 * earlier are left out.
 */
final class DigestAggregator<V> implements Aggregator<Map.Entry<String, V>, Digest> {
  private static final long serialVersionUID = 1L;
  private final Fingerprint<V> fingerprint;
  private final long liveAfterMillis;
  private Digest digest = Digest.EMPTY;

  DigestAggregator(Fingerprint<V> fingerprint, long liveAfterMillis) {
    this.fingerprint = fingerprint;
    this.liveAfterMillis = liveAfterMillis;
  }

  @Override
  public void accumulate(Map.Entry<String, V> entry) {
    V value = entry.getValue();
    if (value != null && fingerprint.countsUntil(value) > liveAfterMillis) {
      digest = digest.plus(entry.getKey(), fingerprint.of(value));
    }
  }

  @Override
  public void combine(Aggregator aggregator) {
    digest = digest.plus(((DigestAggregator<?>) aggregator).digest);
  }

  @Override
  public Digest aggregate() {
    return digest;
  }
}
