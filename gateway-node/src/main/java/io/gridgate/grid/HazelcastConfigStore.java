package io.gridgate.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import io.gridgate.distribution.ConfigConflictException;
import io.gridgate.distribution.ConfigDraft;
import io.gridgate.distribution.ConfigRecord;
import io.gridgate.distribution.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster's grid on Hazelcast IMaps (each with a backup). A commit reads the head and, at the
 * same time, claims version n+1 (and n+2... for several documents) with an entry processor on its
 * owner (a taken version means someone else committed first), then moves the head from n to the
 * last one with a second one, so two concurrent commits from the same base can never both succeed.
 */
public final class HazelcastConfigStore implements ConfigStore {
  /** A claimed version older than this that the head never reached is abandoned (see {@link #isAbandoned}). */
  static final long ABANDONED_AFTER_MILLIS = 10_000;
  private final Vertx vertx;
  private final GridCalls calls;
  private final IMap<Long, String> versions;
  private final IMap<String, Long> head;
  private final HazelcastInstance hazelcast;

  public HazelcastConfigStore(Vertx vertx, GridCalls calls, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.calls = calls;
    this.versions = hazelcast.getMap(GridNames.CONFIG_VERSIONS);
    this.head = hazelcast.getMap(GridNames.CONFIG_HEAD);
    this.hazelcast = hazelcast;
  }

  @Override
  public void onMerged(Runnable action) {
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.MERGED) {
        action.run();
      }
    });
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
   * Reads the head and claims version base+1 (and the next, one per draft) at once: with the
   * head's advance, two round trips in
   * a row instead of three. A base that is not the head when read is refused and its claim given
   * back, so a base ahead of the head never lands on a version its author did not read (the same
   * guarantee as reading the head first: the claim of base+1 is one no commit on the head asks for).
   */
  @Override
  public Future<ConfigRecord> commitConfigs(long baseVersion, List<ConfigDraft> drafts) {
    return commit(baseVersion, drafts, drafts.size());
  }

  /** One attempt; {@code reclaims} bounds the retries over abandoned claims. */
  private Future<ConfigRecord> commit(long baseVersion, List<ConfigDraft> drafts, int reclaims) {
    List<ConfigRecord> records = new ArrayList<>();
    for (ConfigDraft draft : drafts) {
      records.add(new ConfigRecord(baseVersion + 1 + records.size(), draft.document(), System.currentTimeMillis(),
          draft.origin()));
    }
    Future<Long> headRead = headVersion();
    Future<String> claimed = claimAll(records, 0);
    return Future.join(headRead, claimed).transform(done -> {
      if (claimed.failed()) {
        return Future.failedFuture(claimed.cause());
      }
      String taken = claimed.result();
      if (headRead.failed()) {
        return giveBack(taken == null ? records : List.of(), headRead.cause());
      }
      long head = headRead.result();
      if (taken != null) {
        return reclaims > 0 && head == baseVersion && isAbandoned(taken)
            ? release(ConfigRecord.fromJson(new JsonObject(taken)).version(), taken)
                .compose(v -> commit(baseVersion, drafts, reclaims - 1))
            : Future.failedFuture(new ConfigConflictException(baseVersion, head));
      }
      if (head != baseVersion) {
        return giveBack(records, new ConfigConflictException(baseVersion, head));
      }
      ConfigRecord last = records.get(records.size() - 1);
      return advanceHead(AdvanceHead.from(baseVersion, last.version()))
          .recover(err -> giveBack(records, err))
          // the base was ahead of the head after all (it moved between the read and the advance)
          .compose(found -> found == baseVersion ? Future.succeededFuture(last)
              : giveBack(records, new ConfigConflictException(baseVersion, found)));
    });
  }

  /** Releases the versions this commit claimed, then fails with {@code failure}. */
  private <T> Future<T> giveBack(List<ConfigRecord> claimed, Throwable failure) {
    return releaseAll(claimed).transform(ar -> Future.failedFuture(failure));
  }

  /**
   * Claims {@code records} from index {@code from} on; answers null when all are claimed, else the
   * record found on a taken version (the ones claimed before it are given back).
   */
  private Future<String> claimAll(List<ConfigRecord> records, int from) {
    if (from == records.size()) {
      return Future.succeededFuture();
    }
    ConfigRecord record = records.get(from);
    return claim(record.version(), record.toJson().encode()).compose(taken -> taken == null
        ? claimAll(records, from + 1)
        : releaseAll(records.subList(0, from)).map(v -> taken));
  }

  private Future<Void> releaseAll(List<ConfigRecord> records) {
    Future<Void> released = Future.succeededFuture();
    for (ConfigRecord record : records) {
      released = released.compose(v -> release(record.version(), record.toJson().encode()));
    }
    return released;
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
