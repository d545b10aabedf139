package io.gridgate.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Feeds a node-local replica of an IMap (string keys) and keeps it converged: an entry listener
 * applies every change it hears of, and {@link #reload} re-reads the whole map and corrects what the
 * listener missed (a member removed and merged back hears nothing of the changes made meanwhile).
 * For each key the replica holds, the fingerprint of the value it was given is kept, so the
 * replica's {@link Digest} can be compared with the grid's ({@link #gridDigest}) without a re-read.
 * <p>
 * A re-read never undoes a change the listener applies meanwhile: keys the listener touches while a
 * re-read runs keep the listener's value (the listener goes on to deliver every later change of
 * them), the others take the re-read's value, and keys the re-read did not find are removed.
 */
final class MapReplica<V> {
  /** Where the entries go: the node's replica structure. */
  interface Sink<V> {
    void put(String key, V value);

    void remove(String key);

    /** {@code value} was found by a re-read rather than heard of; by default the same as {@link #put}. */
    default void reloaded(String key, V value) {
      put(key, value);
    }
  }

  /** The fingerprint of the value a key holds in the replica, and until when it counts in the digest. */
  private record Mark(long fingerprint, long countsUntil) {}

  private final String name;
  private final IMap<String, V> map;
  private final Fingerprint<V> fingerprint;
  private final Sink<V> sink;
  private final WorkerExecutor worker;
  private final Map<String, Mark> marks = new HashMap<>();
  /** Keys the listener changed since the running re-read began; null when none runs. */
  private Set<String> touched;
  private Future<Integer> queued;

  MapReplica(WorkerExecutor worker, String name, IMap<String, V> map, Fingerprint<V> fingerprint, Sink<V> sink) {
    this.name = name;
    this.map = map;
    this.fingerprint = fingerprint;
    this.sink = sink;
    this.worker = worker;
  }

  /** The structure's name in metrics and logs ({@code revocations}, {@code consumers}, {@code breakers}). */
  String name() {
    return name;
  }

  /** Listens, then loads: completes once every entry stored now is in the replica. */
  Future<Integer> start() {
    map.addEntryListener(new Events(), true);
    return reload();
  }

  /**
   * Re-reads the map on a worker thread and corrects the replica; answers how many keys were
   * corrected. Re-reads run one at a time; a request while one waits to start joins it.
   */
  synchronized Future<Integer> reload() {
    if (queued == null) {
      queued = worker.executeBlocking(this::reread, true);
    }
    return queued;
  }

  private int reread() {
    synchronized (this) {
      queued = null;
      touched = new HashSet<>();
    }
    try {
      Map<String, V> found = new HashMap<>();
      map.forEach(found::put);
      return correct(found);
    } finally {
      synchronized (this) {
        touched = null;
      }
    }
  }

  private synchronized int correct(Map<String, V> found) {
    int corrected = 0;
    for (Map.Entry<String, V> entry : found.entrySet()) {
      String key = entry.getKey();
      Mark mark = mark(entry.getValue());
      if (!touched.contains(key) && !mark.equals(marks.get(key))) {
        marks.put(key, mark);
        sink.reloaded(key, entry.getValue());
        corrected++;
      }
    }
    for (String key : new ArrayList<>(marks.keySet())) {
      if (!found.containsKey(key) && !touched.contains(key)) {
        marks.remove(key);
        sink.remove(key);
        corrected++;
      }
    }
    return corrected;
  }

  /** The grid's digest of the map, entries counting until {@code liveAfterMillis} or earlier left out (blocking). */
  Digest gridDigest(long liveAfterMillis) {
    return map.aggregate(new DigestAggregator<>(fingerprint, liveAfterMillis));
  }

  /** The replica's digest, computed alike. */
  synchronized Digest localDigest(long liveAfterMillis) {
    Digest digest = Digest.EMPTY;
    for (Map.Entry<String, Mark> entry : marks.entrySet()) {
      if (entry.getValue().countsUntil() > liveAfterMillis) {
        digest = digest.plus(entry.getKey(), entry.getValue().fingerprint());
      }
    }
    return digest;
  }

  private Mark mark(V value) {
    return new Mark(fingerprint.of(value), fingerprint.countsUntil(value));
  }

  private synchronized void changed(String key, V value) {
    if (touched != null) {
      touched.add(key);
    }
    marks.put(key, mark(value));
    sink.put(key, value);
  }

  private synchronized void removed(String key) {
    if (touched != null) {
      touched.add(key);
    }
    marks.remove(key);
    sink.remove(key);
  }

  /** Entry events of every member's changes, on Hazelcast's event threads. */
  private final class Events implements EntryAddedListener<String, V>, EntryUpdatedListener<String, V>,
      EntryRemovedListener<String, V>, EntryExpiredListener<String, V> {
    @Override
    public void entryAdded(EntryEvent<String, V> event) {
      changed(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, V> event) {
      changed(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, V> event) {
      removed(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, V> event) {
      removed(event.getKey());
    }
  }
}
