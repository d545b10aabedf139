package io.gridgate.grid;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The node's {@link MapReplica}s and what keeps them converged: a re-read of every replica when a
 * member joins or leaves or this member merged back after a split (events published on the other
 * side meanwhile are never delivered), and a digest check each interval that re-reads a replica
 * whose digest differs from the grid's. Re-reads and checks run one at a time on one worker thread
 * of their own, so they never hold up the event loops or the shared worker pool.
 */
public final class HazelcastReconciliation implements Reconciliation {
  /** Entries expiring sooner than this are left out of digests: grid expiry and its event are not simultaneous. */
  static final long EXPIRY_MARGIN_MILLIS = 5_000;
  private static final Logger LOG = Logger.getLogger(HazelcastReconciliation.class.getName());

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Context context;
  private final WorkerExecutor worker;
  private final List<MapReplica<?>> replicas = new CopyOnWriteArrayList<>();
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile ReplicaMetrics metrics = ReplicaMetrics.NONE;
  private volatile String lastCheckFailure;
  private Runnable onMembershipChange = () -> { };
  private long timer = -1;
  private UUID membershipListener;
  private UUID lifecycleListener;

  public HazelcastReconciliation(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.context = vertx.getOrCreateContext();
    this.worker = vertx.createSharedWorkerExecutor("gridgate-replicas", 1);
  }

  /** A replica of {@code map} feeding {@code sink}, kept converged from now on; call {@link MapReplica#start}. */
  <V> MapReplica<V> replica(String name, IMap<String, V> map, Fingerprint<V> fingerprint, MapReplica.Sink<V> sink) {
    MapReplica<V> replica = new MapReplica<>(worker, name, map, fingerprint, sink);
    replicas.add(replica);
    return replica;
  }

  @Override
  public synchronized void start(Duration digestInterval, ReplicaMetrics metrics, Runnable onMembershipChange) {
    this.metrics = metrics;
    this.onMembershipChange = onMembershipChange;
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        reloadAll("member_added");
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        reloadAll("member_removed");
      }
    });
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleState.MERGED) {
        reloadAll("merge");
      }
    });
    timer = vertx.setPeriodic(digestInterval.toMillis(), id -> check());
  }

  @Override
  public synchronized void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (membershipListener != null && hazelcast.getLifecycleService().isRunning()) {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
    }
    membershipListener = null;
  }

  /** On a Hazelcast event thread: every replica is re-read, and the membership hook runs on the node's context. */
  private void reloadAll(String trigger) {
    Runnable hook;
    synchronized (this) {
      hook = onMembershipChange;
    }
    context.runOnContext(v -> hook.run());
    replicas.forEach(replica -> report(replica, trigger, replica.reload()));
  }

  /** Compares each replica's digest with the grid's; re-reads those that differ. One check at a time. */
  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    worker.executeBlocking(this::staleReplicas, false)
        .compose(stale -> {
          List<Future<Integer>> reloads = new ArrayList<>();
          stale.forEach(replica -> reloads.add(report(replica, "digest", replica.reload())));
          return Future.join(reloads);
        })
        .onComplete(ar -> {
          checking.set(false);
          String failure = ar.succeeded() ? null : String.valueOf(ar.cause());
          if (failure != null && !failure.equals(lastCheckFailure)) {
            LOG.warning("cannot compare the replicas with the grid: " + failure);
          }
          lastCheckFailure = failure;
        });
  }

  private List<MapReplica<?>> staleReplicas() {
    List<MapReplica<?>> stale = new ArrayList<>();
    for (MapReplica<?> replica : replicas) {
      long liveAfter = System.currentTimeMillis() + EXPIRY_MARGIN_MILLIS;
      if (!replica.gridDigest(liveAfter).equals(replica.localDigest(liveAfter))) {
        stale.add(replica);
      }
    }
    return stale;
  }

  private Future<Integer> report(MapReplica<?> replica, String trigger, Future<Integer> reload) {
    return reload.onSuccess(corrected -> {
      metrics.reloaded(replica.name(), trigger, corrected);
      if (corrected > 0) {
        LOG.warning("replica '" + replica.name() + "' was stale (found on " + trigger.replace('_', ' ') + "): "
            + corrected + " entries corrected from the grid");
      }
    }).onFailure(err -> LOG.warning("cannot re-read replica '" + replica.name() + "' (" + trigger + "): " + err));
  }
}
