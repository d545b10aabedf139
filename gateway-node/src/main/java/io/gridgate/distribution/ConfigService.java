package io.gridgate.distribution;

import io.gridgate.cluster.MemberConsumer;
import io.gridgate.cluster.MemberRequests;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.config.NodeSettings;
import io.gridgate.config.SecretFields;
import io.gridgate.config.SecretResolver;
import io.gridgate.grid.GridNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Keeps this node's route table on the cluster's newest configuration version. A push is
 * validated, committed to the grid as version n+1, then sent to every other live member over the
 * clustered event bus while the pusher swaps in the copy it validated; each member compiles it,
 * swaps its table and acks. A node that missed a version (or just joined) catches up from the
 * grid's head, at start and periodically; a node whose applied document is not where the grid's
 * history has it (the smaller side of a healed split) is brought back by {@link ConfigHeal}, at
 * once when Hazelcast reports the merge. Each node
 * resolves the secret references of a document with its own {@link SecretResolver}; the grid and
 * the disk snapshot keep the document as pushed.
 */
public final class ConfigService {
  static final long SYNC_INTERVAL_MILLIS = 2_000;
  static final long ACK_TIMEOUT_MILLIS = 5_000;
  /** How long a starting node waits for a readable head while members race to seed or offer snapshots. */
  static final long START_HEAD_TIMEOUT_MILLIS = 30_000;
  private static final long START_HEAD_RETRY_MILLIS = 50;

  private final Vertx vertx;
  private final Membership membership;
  private final NodeSettings localNode;
  private final ConfigSnapshot snapshot;
  private final Consumer<GatewayConfig> swap;
  private static final Logger LOG = Logger.getLogger(ConfigService.class.getName());
  private final ConfigParser parser;
  private final ConfigParser asWritten = ConfigParser.secretsAsWritten();
  private final ConfigHeal heal;
  private final SerialTask syncs = new SerialTask(this::followHead);
  private volatile ConfigRecord applied;
  private volatile boolean mergePending;
  private volatile String lastCatchUpFailure;
  private MemberConsumer consumer;
  private long syncTimer = -1;

  public ConfigService(Vertx vertx, Membership membership, NodeSettings localNode, Path snapshotFile,
                SecretResolver secrets, Consumer<GatewayConfig> swap) {
    this.vertx = vertx;
    this.parser = new ConfigParser(secrets);
    this.membership = membership;
    this.localNode = localNode;
    this.snapshot = new ConfigSnapshot(vertx, snapshotFile);
    this.swap = swap;
    this.heal = new ConfigHeal(membership.grid(), membership.memberId());
  }

  public long appliedVersion() {
    ConfigRecord current = applied;
    return current == null ? 0 : current.version();
  }

  /** SHA-256 (hex) of the document this node serves, or null before it applied one. */
  public String appliedHash() {
    ConfigRecord current = applied;
    return current == null ? null : current.hash();
  }

  /** Configuration merge conflicts this node resolved after splits (gridgate_config_merge_conflicts_total). */
  public long mergeConflicts() {
    return heal.conflicts();
  }

  public String memberId() {
    return membership.memberId();
  }

  /**
   * Brings the node to the cluster's newest version before it serves: a disk snapshot is offered
   * to the grid (after a full-cluster restart the newest known version wins); an empty grid is
   * seeded with {@code seedDocument}, the shared part of this node's own file.
   */
  public Future<Void> start(String seedDocument) {
    consumer = new MemberConsumer(vertx, GridNames.applyAddress(membership.memberId()), message -> {
      long received = System.nanoTime();
      // just merged back: what this node applied on its own side must be settled before it moves on
      (mergePending ? sync().recover(err -> Future.succeededFuture()) : Future.<Void>succeededFuture())
          .compose(v -> apply(ConfigRecord.fromJson(message.body())))
          .onComplete(ar -> message.reply(timedAck(ar.cause(), received)));
    });
    membership.grid().onMerged(() -> {
      mergePending = true;
      vertx.runOnContext(v -> catchUp());
    });
    return consumer.start(membership.grid())
        .compose(v -> offerSnapshot())
        .compose(v -> headOrSeed(seedDocument, System.currentTimeMillis() + START_HEAD_TIMEOUT_MILLIS))
        .compose(this::apply)
        .onSuccess(v -> syncTimer = vertx.setPeriodic(SYNC_INTERVAL_MILLIS, id -> catchUp()));
  }

  /**
   * Offers this node's disk snapshot to the grid, which keeps the newest version any member
   * offers: after a full-cluster restart the last pushed version wins. A node whose data_dir holds
   * another cluster's history must have it cleared before joining (see docs/operations.md).
   */
  private Future<Void> offerSnapshot() {
    return snapshot.read().compose(saved -> saved == null ? Future.succeededFuture() : membership.grid().offerConfig(saved));
  }

  /**
   * The grid's head, or version 1 seeded with {@code document} when there is none. Members started
   * together race for version 1: a loser's commit conflicts while the winner's head may not be
   * readable yet (the winner claims the version before it moves the head), so the loser reads and
   * tries again until {@code deadlineMillis}; a winner that died between its two steps leaves a
   * claim that a later try takes over once it is abandoned.
   */
  private Future<ConfigRecord> headOrSeed(String document, long deadlineMillis) {
    return membership.grid().headConfig().compose(head -> head != null ? Future.succeededFuture(head)
        : membership.grid().commitConfig(0, document, "seed:" + membership.memberId()).recover(err -> {
          if (!(err instanceof ConfigConflictException)) {
            return Future.failedFuture(err);
          }
          if (System.currentTimeMillis() > deadlineMillis) {
            return Future.failedFuture(new IllegalStateException("no configuration version became readable within "
                + START_HEAD_TIMEOUT_MILLIS / 1000 + " s of start: " + err.getMessage(), err));
          }
          return vertx.timer(START_HEAD_RETRY_MILLIS).compose(v -> headOrSeed(document, deadlineMillis));
        }));
  }

  /**
   * {@link #sync}: runs every 2 s and on membership changes and merges. A failure is logged when it
   * differs from the last one (not every 2 s).
   */
  public void catchUp() {
    sync()
        .onSuccess(v -> lastCatchUpFailure = null)
        .onFailure(err -> {
          String failure = String.valueOf(err);
          if (!failure.equals(lastCatchUpFailure)) {
            lastCatchUpFailure = failure;
            LOG.warning("cannot catch up with the cluster's configuration: " + failure);
          }
        });
  }

  /**
   * {@link #followHead}, one round at a time: the periodic check, a merge and an announcement
   * arriving right after a merge all ask for one, and two rounds at once would race (one adopting
   * the head the other's {@link ConfigHeal} commit is about to replace, the other then skipping
   * its own commit because the applied version moved under it). A request made during a round is
   * served by one more round after it, so a merge's request is never lost.
   */
  private Future<Void> sync() {
    return syncs.run();
  }

  /**
   * Follows the grid's head: a newer version on the line of what this node applied is applied;
   * a head that is not (another document at the same version, or a history without this node's
   * version, as after a healed split) goes through {@link ConfigHeal}, whose answer is adopted
   * whatever its version number and announced to every member.
   */
  private Future<Void> followHead() {
    ConfigRecord mine = applied;
    return membership.grid().headConfig().compose(head -> {
      if (head == null || mine == null || head.sameVersionAndContent(mine)) {
        mergePending = false;
        return Future.succeededFuture();
      }
      Future<Boolean> onMyLine = head.version() > mine.version()
          ? membership.grid().configVersion(mine.version()).map(mine::sameContent)
          : Future.succeededFuture(false);
      return onMyLine.compose(fastForward -> fastForward
          ? apply(head).onSuccess(v -> mergePending = false)
          : heal.reconcile(mine, head).compose(next -> install(next, current -> current == mine)
              .onSuccess(v -> announceToOthers(next)))
              // another node of this side committed first: the next round follows the head
              .recover(err -> err instanceof ConfigConflictException
                  ? Future.succeededFuture() : Future.failedFuture(err)));
    });
  }

  /** Checks a shared document against this node's settings; throws InvalidConfigException with every error. */
  public GatewayConfig validate(String document) {
    return parser.parseShared(document, localNode);
  }

  /** {@link #validate} on a worker thread. */
  public Future<GatewayConfig> check(String document) {
    return vertx.executeBlocking(() -> validate(document), false);
  }

  /** The changes between two stored versions, compared as written: no secret is resolved (on a worker thread). */
  public Future<JsonObject> diff(ConfigRecord from, ConfigRecord to) {
    return vertx.executeBlocking(() -> ConfigDiff.between(asWritten.parseShared(from.document(), localNode),
        asWritten.parseShared(to.document(), localNode)), false);
  }

  /** {@code record} as the admin API shows it: literal secrets redacted, references as written (on a worker thread). */
  public Future<ConfigRecord> redacted(ConfigRecord record) {
    return vertx.executeBlocking(() -> new ConfigRecord(record.version(), SecretFields.redact(record.document()),
        record.committedAtMillis(), record.origin(), record.hash()), false);
  }

  /** Applies a version newer than the applied one (see {@link #install}). */
  Future<Void> apply(ConfigRecord record) {
    return install(record, newerThan(record));
  }

  /** Holds for an applied version older than {@code record} (or none). */
  private static Predicate<ConfigRecord> newerThan(ConfigRecord record) {
    return current -> current == null || record.version() > current.version();
  }

  /**
   * Applies {@code record} while {@code still} holds for the applied one: parse and compile on a
   * worker thread (documents may be large), then swap atomically; the disk snapshot follows.
   */
  private Future<Void> install(ConfigRecord record, Predicate<ConfigRecord> still) {
    if (!still.test(applied)) {
      return Future.succeededFuture();
    }
    return check(record.document()).map(config -> {
      swapIn(record, config, still);
      return null;
    });
  }

  /** Serves {@code config}, the compiled document of {@code record}, while {@code still} holds for the applied version. */
  private void swapIn(ConfigRecord record, GatewayConfig config, Predicate<ConfigRecord> still) {
    synchronized (this) {
      if (!still.test(applied)) {
        return;
      }
      swap.accept(config);
      applied = record;
    }
    heal.applied(record);
    // the grid keeps the version with backups; the disk copy only serves full-cluster restarts,
    // so the ack does not wait for it
    snapshot.write(record).onFailure(err -> LOG.warning("could not write the config snapshot: " + err));
  }

  /**
   * Validates (on a worker thread; an invalid document fails with InvalidConfigException), commits
   * on top of {@code baseVersion} and waits for every live member's ack.
   */
  public Future<PushResult> push(long baseVersion, String document, String origin) {
    PushTimings timings = new PushTimings();
    return check(document)
        .compose(valid -> {
          timings.mark("validate_ms");
          return membership.grid().commitConfig(baseVersion, document, origin).compose(record -> {
            timings.mark("commit_ms");
            return announce(record, valid);
          });
        })
        .map(acks -> {
          timings.mark("announce_ms");
          return acks.withTimings(timings.toJson());
        });
  }

  /**
   * Sends a committed version to every other live member and collects their acks (or their
   * silence); meanwhile this node serves {@code config}, the copy the push validated.
   */
  private Future<PushResult> announce(ConfigRecord record, GatewayConfig config) {
    String self = membership.memberId();
    Future<List<JsonObject>> remote = announceToOthers(record);
    long started = System.nanoTime();
    swapIn(record, config, newerThan(record));
    JsonObject own = timedAck(null, started).put("member", self);
    return remote.map(acks -> {
      List<JsonObject> all = new ArrayList<>(acks.size() + 1);
      all.add(own);
      all.addAll(acks);
      return new PushResult(record.version(), all, null);
    });
  }

  /** Sends a committed version to every other live member and collects their acks (or their silence). */
  private Future<List<JsonObject>> announceToOthers(ConfigRecord record) {
    String self = membership.memberId();
    List<String> others = membership.members().get().stream().filter(member -> !member.equals(self)).toList();
    return MemberRequests.toEach(vertx, others, GridNames::applyAddress, record.toJson(), ACK_TIMEOUT_MILLIS,
        err -> ack(false, err));
  }

  /** A member's answer to an announced version: applied (with when, and how long it took since {@code startedNanos}) unless {@code failure}. */
  private JsonObject timedAck(Throwable failure, long startedNanos) {
    JsonObject ack = ack(failure == null, failure).put("apply_ms", PushTimings.millis(System.nanoTime() - startedNanos));
    return failure == null ? ack.put("applied_at", Instant.now().toString()) : ack;
  }

  private JsonObject ack(boolean applied, Throwable cause) {
    JsonObject ack = new JsonObject().put("status", applied ? "applied" : "lagging")
        .put("applied_version", appliedVersion());
    if (cause != null) {
      ack.put("reason", cause.getMessage());
    }
    return ack;
  }

  public Future<Void> stop() {
    if (syncTimer >= 0) {
      vertx.cancelTimer(syncTimer);
    }
    return consumer == null ? Future.succeededFuture() : consumer.stop();
  }

  /** The outcome of a push: the new version, each member's ack and where the time went (null when not measured). */
  public record PushResult(long version, List<JsonObject> members, JsonObject timings) {
    PushResult withTimings(JsonObject phases) {
      return new PushResult(version, members, phases);
    }

    public List<String> lagging() {
      return members.stream().filter(m -> !"applied".equals(m.getString("status")))
          .map(m -> m.getString("member")).toList();
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("version", version).put("members", members).put("lagging", lagging());
      return timings == null ? json : json.put("timings", timings);
    }
  }
}
