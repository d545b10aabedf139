package io.gridgate.grid;

import io.gridgate.security.Consumer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * This node's durable copy of the cluster's identity state (consumers with their tombstones, and
 * revocations) in an H2 MVStore file in its data_dir. {@link #saveConsumer}/{@link #saveRevocation}
 * write, commit and fsync before they complete (an admin write waits for them before its 2xx);
 * {@link #journalConsumer}/{@link #journalRevocation} queue what the grid's entry events bring
 * and a writer thread stores them in order, in batches, one fsync per batch. Every write merges:
 * a consumer's higher revision wins, two revocations of one key make their union. {@link #NONE}
 * keeps nothing (a node without a data_dir).
 */
public final class IdentityDisk {
  /** How long a consumer's tombstone is kept, on disk and in the grid, before it is purged at a node's start. */
  public static final Duration TOMBSTONE_RETENTION = Duration.ofDays(30);
  /** A disk that keeps nothing. */
  public static final IdentityDisk NONE = new IdentityDisk(null, null);

  private static final Logger LOG = Logger.getLogger(IdentityDisk.class.getName());
  private final Vertx vertx;
  private final MVStore store;
  private final MVMap<String, String> consumers;
  private final MVMap<String, long[]> revocations;
  private final BlockingQueue<Runnable> journal = new LinkedBlockingQueue<>();
  /** Queued by {@link #close}: the writer stores what came before it, then ends. */
  private final Runnable endOfJournal = () -> { };
  private final Thread writer;
  private volatile boolean closed;

  private IdentityDisk(Vertx vertx, MVStore store) {
    this.vertx = vertx;
    this.store = store;
    this.consumers = store == null ? null : store.openMap("consumers");
    this.revocations = store == null ? null : store.openMap("revocations");
    this.writer = store == null ? null : new Thread(this::writeJournal, "gridgate-identity-disk");
    if (writer != null) {
      writer.setDaemon(true);
      writer.start();
    }
  }

  /** Opens (creating it and its directory when needed) the store in {@code file}, on a worker thread; null: {@link #NONE}. */
  public static Future<IdentityDisk> open(Vertx vertx, Path file) {
    if (file == null) {
      return Future.succeededFuture(NONE);
    }
    return vertx.executeBlocking(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
      // every commit is fsynced before the next one, so space freed by a commit can be reused at
      // once (the default keeps dead chunks 45 s: with a commit per admin write the file grew by
      // ~10 kB a write)
      store.setRetentionTime(0);
      return new IdentityDisk(vertx, store);
    });
  }

  /**
   * Where a node keeps its identity state: beside its configuration snapshot
   * ({@code config-snapshot-8080.json} → {@code identity-8080.mv.db}, else {@code identity.mv.db}); null for none.
   */
  public static Path besideSnapshot(Path snapshotFile) {
    if (snapshotFile == null) {
      return null;
    }
    String name = snapshotFile.getFileName().toString();
    String suffix = name.startsWith("config-snapshot-") && name.endsWith(".json")
        ? "-" + name.substring("config-snapshot-".length(), name.length() - ".json".length()) : "";
    return snapshotFile.resolveSibling("identity" + suffix + ".mv.db");
  }

  boolean keepsNothing() {
    return store == null;
  }

  /** Stores a consumer's JSON (a tombstone too) unless a newer revision is stored, then fsyncs (on a worker thread). */
  public Future<Void> saveConsumer(String id, String json) {
    return store == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      storeConsumer(id, json);
      return null;
    });
  }

  /** Stores a revocation as the union with what is stored under its key, then fsyncs (on a worker thread). */
  public Future<Void> saveRevocation(String key, long[] value) {
    return store == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      storeRevocation(key, value);
      return null;
    });
  }

  /** {@link #saveConsumer} on the calling thread, which may block. */
  void storeConsumer(String id, String json) {
    if (store != null) {
      write(() -> mergeConsumer(id, json));
    }
  }

  /** {@link #saveRevocation} on the calling thread, which may block. */
  void storeRevocation(String key, long[] value) {
    if (store != null) {
      write(() -> mergeRevocation(key, value));
    }
  }

  /** Queues a consumer the grid announced; stored in order, soon, without waiting. */
  void journalConsumer(String id, String json) {
    if (store != null && !closed) {
      journal.add(() -> mergeConsumer(id, json));
    }
  }

  /** Queues a revocation the grid announced; stored in order, soon, without waiting. */
  void journalRevocation(String key, long[] value) {
    if (store != null && !closed) {
      journal.add(() -> mergeRevocation(key, value));
    }
  }

  /** Every consumer stored (tombstones included), by id. */
  Map<String, String> consumers() {
    return store == null ? Map.of() : new HashMap<>(consumers);
  }

  /** Every revocation stored, by key: {issued before, expires at}. */
  Map<String, long[]> revocations() {
    return store == null ? Map.of() : new HashMap<>(revocations);
  }

  /** Purges (see {@link #purge}), then answers what {@code read} makes of this disk; on a worker thread. */
  <T> Future<T> afterPurge(Function<IdentityDisk, T> read) {
    return vertx.executeBlocking(() -> {
      purge(System.currentTimeMillis());
      return read.apply(this);
    });
  }

  /** Drops tombstones older than the retention and revocations that expired, on the calling thread. */
  void purge(long nowMillis) {
    if (store == null) {
      return;
    }
    write(() -> {
      long oldest = nowMillis - TOMBSTONE_RETENTION.toMillis();
      List<String> purged = new ArrayList<>();
      consumers.forEach((id, json) -> {
        if (isExpiredTombstone(json, oldest)) {
          purged.add(id);
        }
      });
      purged.forEach(consumers::remove);
      purged.clear();
      revocations.forEach((key, times) -> {
        if (times[1] <= nowMillis) {
          purged.add(key);
        }
      });
      purged.forEach(revocations::remove);
    });
  }

  /** True when {@code json} is a tombstone written before {@code oldestKeptMillis}. */
  static boolean isExpiredTombstone(String json, long oldestKeptMillis) {
    Consumer consumer = Consumer.fromJson(new io.vertx.core.json.JsonObject(json));
    return consumer.deleted() && consumer.revision() < oldestKeptMillis;
  }

  private void mergeConsumer(String id, String json) {
    consumers.compute(id, (k, current) -> Consumer.supersedes(json, current) ? json : current);
  }

  private void mergeRevocation(String key, long[] value) {
    revocations.compute(key, (k, current) -> RevocationUnion.of(current, value));
  }

  /** Runs {@code change}, commits and fsyncs; writers take turns, so each commit holds whole changes. */
  private synchronized void write(Runnable change) {
    change.run();
    store.commit();
    store.sync();
  }

  /** The writer thread: takes what is queued, stores it as one batch, until the end of the journal. */
  private void writeJournal() {
    List<Runnable> batch = new ArrayList<>();
    boolean ended = false;
    while (!ended) {
      try {
        batch.add(journal.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      journal.drainTo(batch);
      ended = batch.contains(endOfJournal);
      try {
        write(() -> batch.forEach(Runnable::run));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not store identity changes on disk: " + e, e);
      }
      batch.clear();
    }
  }

  /** Stores what is queued and closes the file (on a worker thread). */
  public Future<Void> close() {
    if (store == null) {
      return Future.succeededFuture();
    }
    closed = true;
    journal.add(endOfJournal);
    return vertx.executeBlocking(() -> {
      writer.join(10_000);
      synchronized (this) {
        store.close();
      }
      return null;
    });
  }
}
