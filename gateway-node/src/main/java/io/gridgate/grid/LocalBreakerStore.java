package io.gridgate.grid;

import io.gridgate.upstream.BreakerView;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Breaker state of one node (standalone nodes and {@code scope: local} breakers), in memory. */
public final class LocalBreakerStore extends AtomicBreakerStore {
  private final Map<String, BreakerRecord> records = new HashMap<>();
  private final LongSupplier clockMillis;

  public LocalBreakerStore() {
    this(System::currentTimeMillis);
  }

  /** A store reading time from {@code clockMillis} (tests move it by hand). */
  public LocalBreakerStore(LongSupplier clockMillis) {
    super("local");
    this.clockMillis = clockMillis;
  }

  @Override
  Future<BreakerView> change(String upstream, BreakerProcessor change) {
    long now = clockMillis.getAsLong();
    BreakerRecord current;
    BreakerRecord next;
    synchronized (records) {
      current = records.getOrDefault(upstream, BreakerRecord.INITIAL);
      next = change.next(current, now);
      records.put(upstream, next);
    }
    Consumer<BreakerView> listener = listener(upstream);
    if (next != current && listener != null) {
      listener.accept(next.asNews());
    }
    return Future.succeededFuture(next.viewAt(now));
  }
}
