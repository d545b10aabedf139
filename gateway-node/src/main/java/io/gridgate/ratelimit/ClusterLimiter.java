package io.gridgate.ratelimit;

import io.gridgate.clock.NodeClock;
import io.gridgate.config.RateLimitSpec;
import io.gridgate.ratelimit.KeyLease.Waiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A cluster-wide limit spent through leases: the node takes batches of permits from the shared
 * bucket (one entry-processor call on the key's owner) and spends them locally, so a hot key costs
 * one grid call per batch and a request normally none. A batch is sized to about a second of the
 * key's traffic and the owner caps it as the bucket empties, so a quiet key gets one permit per
 * call (an exact per-request path) and the cluster never admits more than the limit. Permits left
 * idle are given back. What the node admits on its own while the grid cannot answer (fail-open) is
 * charged to the bucket with the next request that gets through.
 */
final class ClusterLimiter extends GridLimiter {
  /** Unspent permits of a key that saw no request for this long go back to the bucket. */
  static final long IDLE_RETURN_NANOS = 500_000_000;
  private static final long FORGET_NANOS = 120_000_000_000L;

  private final Vertx vertx;
  private final Map<String, KeyLease> leases = new ConcurrentHashMap<>();

  ClusterLimiter(Vertx vertx, RateLimitSpec spec, BucketStore store, ClusterView cluster, NodeClock clock) {
    super(vertx, spec, store, cluster, clock);
    this.vertx = vertx;
  }

  @Override
  public Future<LimitDecision> acquire(String key) {
    long now = clockNanos.getAsLong();
    KeyLease lease = leases.get(key);
    if (lease == null) { // the lambda (it captures) is made only for a new key
      lease = leases.computeIfAbsent(key, k -> new KeyLease(bucketPrefix + k, now));
    }
    if (failures.isGridDown()) {
      return Future.succeededFuture(decideWithoutGrid(key, lease, now));
    }
    long limit = spec.limit();
    LimitDecision decision;
    Promise<LimitDecision> promise = null;
    PermitRequest request = null;
    synchronized (lease) {
      decision = lease.spend(now, limit);
      if (decision == null) {
        decision = lease.refuseWhileExhausted(now, limit);
      }
      if (decision == null) {
        promise = Promise.promise();
        lease.waiters.add(new Waiter(vertx.getOrCreateContext(), promise));
        if (!lease.fetching) {
          request = lease.nextRequest(now, limit, members.getAsInt());
        }
      } else if (lease.wantsTopUp()) {
        request = lease.nextRequest(now, limit, members.getAsInt());
      }
    }
    if (request != null) {
      fetch(key, lease, request, now);
    }
    if (decision != null) {
      stats.count(decision);
      return Future.succeededFuture(decision);
    }
    return promise.future();
  }

  private void fetch(String key, KeyLease lease, PermitRequest request, long sentNanos) {
    failures.withDeadline(() -> store.take(lease.bucket, rule, request)).onComplete(ar -> {
      if (ar.succeeded()) {
        failures.gridAnswered();
        granted(key, lease, ar.result(), sentNanos);
      } else {
        failures.gridFailed(ar.cause());
        failed(key, lease, request);
      }
    });
  }

  /** While the grid cannot answer: the lease's unspent permits first, then the failure policy. */
  private LimitDecision decideWithoutGrid(String key, KeyLease lease, long now) {
    synchronized (lease) {
      LimitDecision leased = lease.spend(now, spec.limit());
      if (leased != null) {
        stats.count(leased);
        return leased;
      }
      LimitDecision decision = failures.decide(key, lease.failOpenAllowance(now, members.getAsInt()));
      if (decision.isAllowed()) {
        lease.admittedWithoutGrid(now);
      }
      return decision;
    }
  }

  private void granted(String key, KeyLease lease, Grant grant, long sentNanos) {
    long now = clockNanos.getAsLong();
    long limit = spec.limit();
    List<Waiter> waiters = new ArrayList<>();
    List<LimitDecision> decisions = new ArrayList<>();
    PermitRequest again = null;
    synchronized (lease) {
      lease.absorb(grant, sentNanos);
      while (!lease.waiters.isEmpty()) {
        LimitDecision decision = lease.spend(now, limit);
        if (decision == null) {
          break;
        }
        waiters.add(lease.waiters.poll());
        decisions.add(decision);
      }
      if (!lease.waiters.isEmpty() && lease.ownerHadMore()) {
        again = lease.nextRequest(now, limit, members.getAsInt()); // the owner capped the batch: ask for the rest
      }
      while (again == null && !lease.waiters.isEmpty()) {
        waiters.add(lease.waiters.poll());
        decisions.add(lease.refusal(now, limit));
      }
    }
    for (int i = 0; i < waiters.size(); i++) {
      stats.count(decisions.get(i));
      waiters.get(i).answer(decisions.get(i));
    }
    if (again != null) {
      fetch(key, lease, again, now);
    }
  }

  private void failed(String key, KeyLease lease, PermitRequest request) {
    List<Waiter> waiters;
    synchronized (lease) {
      lease.unanswered(request);
      waiters = new ArrayList<>(lease.waiters);
      lease.waiters.clear();
    }
    long now = clockNanos.getAsLong();
    for (Waiter waiter : waiters) {
      waiter.answer(decideWithoutGrid(key, lease, now));
    }
  }

  @Override
  public void refund(String key) {
    KeyLease lease = leases.get(key);
    if (lease != null) {
      synchronized (lease) {
        lease.refund();
      }
    }
  }

  @Override
  public void sweep() {
    long now = clockNanos.getAsLong();
    boolean gridDown = failures.isGridDown();
    leases.forEach((key, lease) -> {
      long unspent = 0;
      long epoch;
      boolean forget;
      PermitRequest charge = null;
      synchronized (lease) {
        if (!gridDown && lease.owesCharge()) {
          charge = lease.chargeRequest(members.getAsInt()); // settle fail-open spending before others spend the rest
        }
        boolean idle = !lease.fetching && lease.waiters.isEmpty();
        if (idle && lease.holdsPermits() && now - lease.lastUsedNanos > IDLE_RETURN_NANOS) {
          unspent = lease.drain(now);
        }
        epoch = lease.epoch();
        forget = lease.isForgettable(now, FORGET_NANOS);
      }
      if (forget) {
        leases.remove(key, lease);
      }
      if (charge != null) {
        fetch(key, lease, charge, now);
      }
      giveBack(lease, epoch, unspent);
    });
    failures.sweep();
  }

  private void giveBack(KeyLease lease, long epoch, long unspent) {
    if (unspent > 0) {
      stats.gridCalls.increment();
      store.giveBack(lease.bucket, rule, epoch, unspent);
    }
  }

  @Override
  public void close() {
    long now = clockNanos.getAsLong();
    leases.values().forEach(lease -> {
      long unspent;
      long epoch;
      synchronized (lease) {
        unspent = lease.drain(now);
        epoch = lease.epoch();
      }
      giveBack(lease, epoch, unspent);
    });
    leases.clear();
  }
}
