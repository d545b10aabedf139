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
 * The cluster's grid on Hazelcast IMaps (each with a backup). A commit reads the head, claims
 * version n+1 with an entry processor on its owner (a taken version means someone else committed
 * first), then moves the head from n to n+1 with a second one, so two concurrent commits from the
 * same base can never both succeed.
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

  @Override
  public Future<ConfigRecord> commitConfig(long baseVersion, String document, String origin) {
    // a base ahead of the head is refused before claiming anything: were the head to reach it in
    // the meantime, the commit would land on a version its author never read
    return headVersion().compose(head -> head == baseVersion
        ? commit(baseVersion, document, origin, true)
        : Future.failedFuture(new ConfigConflictException(baseVersion, head)));
  }

  private Future<ConfigRecord> commit(long baseVersion, String document, String origin, boolean mayReclaim) {
    ConfigRecord record = new ConfigRecord(baseVersion + 1, document, System.currentTimeMillis(), origin);
    String json = record.toJson().encode();
    return claim(record.version(), json).compose(taken -> {
      if (taken != null) {
        return headVersion().compose(head -> mayReclaim && head == baseVersion && isAbandoned(taken)
            ? release(record.version(), taken).compose(v -> commit(baseVersion, document, origin, false))
            : Future.failedFuture(new ConfigConflictException(baseVersion, head)));
      }
      return advanceHead(AdvanceHead.from(baseVersion))
          .recover(err -> release(record.version(), json).compose(v -> Future.failedFuture(err)))
          .compose(found -> found == baseVersion
              ? Future.succeededFuture(record)
              // the base was ahead of the head: give the claimed version back, nothing points to it
              : release(record.version(), json)
                  .compose(v -> Future.failedFuture(new ConfigConflictException(baseVersion, found))));
    });
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
