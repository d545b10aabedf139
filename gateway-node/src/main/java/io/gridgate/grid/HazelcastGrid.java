package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's grid on Hazelcast IMaps (each with a backup). A commit reads the head and, at the
 * same time, claims version n+1 with an entry processor on its owner (a taken version means
 * someone else committed first), then moves the head from n to n+1 with a second one, so two
 * concurrent commits from the same base can never both succeed.
 */
public final class HazelcastGrid implements Grid {
  /** A claimed version older than this that the head never reached is abandoned (see {@link #isAbandoned}). */
  static final long ABANDONED_AFTER_MILLIS = 10_000;
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<Long, String> versions;
  private final IMap<String, Long> head;

  public HazelcastGrid(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.calls = calls;
    this.versions = hazelcast.getMap(GridNames.CONFIG_VERSIONS);
    this.head = hazelcast.getMap(GridNames.CONFIG_HEAD);
  }

  private Future<Long> headVersion() {
    return calls.await("config_head_read", head.getAsync(GridNames.HEAD_KEY)).map(v -> v == null ? 0L : v);
  }

  @Override
  public Future<ConfigRecord> headConfig() {
    return headVersion().compose(v -> v == 0 ? Future.succeededFuture() : configVersion(v));
  }

  @Override
  public Future<ConfigRecord> configVersion(long version) {
    return calls.await("config_version_read", versions.getAsync(version))
        .map(json -> json == null ? null : ConfigRecord.fromJson(new JsonObject(json)));
  }

  @Override
  public Future<List<ConfigRecord>> configHistory() {
    return vertx.executeBlocking(() -> {
      List<ConfigRecord> records = new ArrayList<>();
      versions.values().forEach(json -> records.add(ConfigRecord.fromJson(new JsonObject(json))));
      records.sort(Comparator.comparingLong(ConfigRecord::version));
      return records;
    });
  }

  /**
   * Reads the head and claims version base+1 at once: with the head's advance, two round trips in
   * a row instead of three. A base that is not the head when read is refused and its claim given
   * back, so a base ahead of the head never lands on a version its author did not read (the same
   * guarantee as reading the head first: the claim of base+1 is one no commit on the head asks for).
   */
  @Override
  public Future<ConfigRecord> commitConfig(long baseVersion, String document, String origin) {
    return commit(baseVersion, document, origin, true);
  }

  private Future<ConfigRecord> commit(long baseVersion, String document, String origin, boolean mayReclaim) {
    ConfigRecord record = new ConfigRecord(baseVersion + 1, document, System.currentTimeMillis(), origin);
    String json = record.toJson().encode();
    Future<Long> headRead = headVersion();
    Future<String> claimed = claim(record.version(), json);
    return Future.join(headRead, claimed).transform(done -> {
      if (claimed.failed()) {
        return Future.failedFuture(claimed.cause());
      }
      String taken = claimed.result();
      if (headRead.failed()) {
        return giveBack(taken == null ? json : null, record.version(), headRead.cause());
      }
      long head = headRead.result();
      if (taken != null) {
        return mayReclaim && head == baseVersion && isAbandoned(taken)
            ? release(record.version(), taken).compose(v -> commit(baseVersion, document, origin, false))
            : Future.failedFuture(new ConfigConflictException(baseVersion, head));
      }
      if (head != baseVersion) {
        return giveBack(json, record.version(), new ConfigConflictException(baseVersion, head));
      }
      return advanceHead(AdvanceHead.from(baseVersion))
          .recover(err -> giveBack(json, record.version(), err))
          // the base was ahead of the head after all (it moved between the read and the advance)
          .compose(found -> found == baseVersion ? Future.succeededFuture(record)
              : giveBack(json, record.version(), new ConfigConflictException(baseVersion, found)));
    });
  }

  /** Releases {@code version} if this commit claimed it ({@code claimedJson} not null), then fails with {@code failure}. */
  private <T> Future<T> giveBack(String claimedJson, long version, Throwable failure) {
    Future<Void> released = claimedJson == null ? Future.succeededFuture() : release(version, claimedJson);
    return released.transform(ar -> Future.failedFuture(failure));
  }

  /**
   * A version claimed long ago that the head never reached: its committer died between the two
   * grid operations. Without reclaiming it, every later push on that base would conflict.
   */
  private static boolean isAbandoned(String recordJson) {
    long committedAt = ConfigRecord.fromJson(new JsonObject(recordJson)).committedAtMillis();
    return System.currentTimeMillis() - committedAt > ABANDONED_AFTER_MILLIS;
  }

  @Override
  public Future<Void> offerConfig(ConfigRecord record) {
    return claim(record.version(), record.toJson().encode())
        .compose(previous -> advanceHead(AdvanceHead.toAtLeast(record.version()))).mapEmpty();
  }

  private Future<String> claim(long version, String recordJson) {
    return calls.await("config_claim", versions.submitToKey(version, new ClaimVersion(recordJson)));
  }

  private Future<Void> release(long version, String recordJson) {
    return calls.await("config_release", versions.submitToKey(version, new ReleaseVersion(recordJson))).mapEmpty();
  }

  private Future<Long> advanceHead(AdvanceHead move) {
    return calls.await("config_head_advance", head.submitToKey(GridNames.HEAD_KEY, move));
  }
}
