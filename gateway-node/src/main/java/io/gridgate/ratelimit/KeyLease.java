package io.gridgate.ratelimit;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * This node's lease on one shared bucket: permits granted by the bucket's owner and not spent yet,
 * how long they stay valid, and the requests waiting for the next grant. Guarded by its own lock;
 * {@link ClusterLimiter} drives it.
 */
final class KeyLease {
  /** A lease sized for this much of the key's recent traffic. */
  static final long TARGET_NANOS = 1_000_000_000;

  final String bucket;
  private long permits;
  private long epoch = BucketRule.ANY_WINDOW;
  private long validUntilNanos;
  private long resetAtNanos;
  private long remainingAtGrant;
  /** Refuse without asking the owner until then; a time already past when the bucket is not empty (nanos may be negative). */
  private long exhaustedUntilNanos;
  private long lastGranted;
  private long spentSinceFetch;
  private long fetchStartedNanos;
  private long owed;
  private long owedEpoch;
  private long failOpenAllowance = -1;
  private long allowanceEpoch;
  /** When this node last decided a request of the key (leases idle since then are given back, then forgotten). */
  long lastUsedNanos;
  boolean fetching;
  final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  /** A request waiting for permits, answered on its own context. */
  record Waiter(Context context, Promise<LimitDecision> promise) {
    void answer(LimitDecision decision) {
      if (Vertx.currentContext() == context) {
        promise.complete(decision);
      } else {
        context.runOnContext(v -> promise.complete(decision));
      }
    }
  }

  KeyLease(String bucket, long now) {
    this.bucket = bucket;
    this.lastUsedNanos = now;
    this.exhaustedUntilNanos = now;
  }

  /** Spends one permit when one is valid; null when the node must ask the owner. */
  LimitDecision spend(long now, long limit) {
    if (permits > 0 && now - validUntilNanos < 0) {
      permits--;
      spentSinceFetch++;
      lastUsedNanos = now;
      return LimitDecision.allowed(limit, remainingAtGrant + permits, millisUntil(resetAtNanos, now), 0);
    }
    return null;
  }

  /** The owner said the bucket is empty until a known time: refuse without asking again until then. */
  LimitDecision refuseWhileExhausted(long now, long limit) {
    if (now - exhaustedUntilNanos < 0) {
      return LimitDecision.rejected(limit, millisUntil(resetAtNanos, now), millisUntil(exhaustedUntilNanos, now));
    }
    return null;
  }

  /** The refusal for waiters a grant could not serve. */
  LimitDecision refusal(long now, long limit) {
    return LimitDecision.rejected(limit, millisUntil(resetAtNanos, now), Math.max(1, millisUntil(exhaustedUntilNanos, now)));
  }

  /** A hot key's lease running low: fetch the next one before it is empty. */
  boolean wantsTopUp() {
    return !fetching && lastGranted >= 4 && permits <= lastGranted / 4;
  }

  /**
   * The next request to the owner: about {@link #TARGET_NANOS} of the recent spending rate plus
   * the waiters, carrying what this node admitted on its own while the grid was unreachable.
   */
  PermitRequest nextRequest(long now, long limit, int members) {
    long elapsed = now - fetchStartedNanos;
    // rounded down: a key seeing fewer than two requests per target period asks for one permit at a time
    long recent = fetchStartedNanos == 0 || elapsed <= 0 ? 0 : (long) (spentSinceFetch * (double) TARGET_NANOS / elapsed);
    spentSinceFetch = 0;
    fetchStartedNanos = now;
    fetching = true;
    PermitRequest request = new PermitRequest(Math.max(1, Math.min(limit, recent + waiters.size())), members, owedEpoch, owed);
    owed = 0;
    return request;
  }

  /** A request the owner never answered: its charge is still owed. */
  void unanswered(PermitRequest request) {
    fetching = false;
    owed += request.charge();
  }

  /**
   * While the grid cannot answer, how many more requests this node may admit on its own: its part
   * (÷ {@code members}) of what the bucket had left at the last grant, while that grant's window
   * lasts; unbounded here (the node's share of the limit still applies) when it knows no window.
   */
  long failOpenAllowance(long now, int members) {
    if (!knowsWindow(now)) {
      return Long.MAX_VALUE;
    }
    if (failOpenAllowance < 0 || allowanceEpoch != epoch) {
      // set once per window: a grid that flickers must not hand the same remainder out again
      failOpenAllowance = remainingAtGrant / Math.max(1, members);
      allowanceEpoch = epoch;
    }
    return failOpenAllowance;
  }

  /** True when requests admitted without the grid still have to be charged to the bucket. */
  boolean owesCharge() {
    return owed > 0 && !fetching;
  }

  /** Nothing held, owed or pending, and unused for {@code idleNanos}: the lease can be dropped. */
  boolean isForgettable(long now, long idleNanos) {
    return permits == 0 && owed == 0 && !fetching && waiters.isEmpty() && now - lastUsedNanos > idleNanos;
  }

  /** A request that only charges what is owed and takes no permit. */
  PermitRequest chargeRequest(int members) {
    fetching = true;
    PermitRequest request = new PermitRequest(0, members, owedEpoch, owed);
    owed = 0;
    return request;
  }

  /** Records a request admitted without the grid, to be charged to the bucket later. */
  void admittedWithoutGrid(long now) {
    lastUsedNanos = now;
    if (failOpenAllowance > 0) {
      failOpenAllowance--;
    }
    if (owed == 0) {
      owedEpoch = knowsWindow(now) ? epoch : BucketRule.ANY_WINDOW;
    }
    owed++;
  }

  /** True while the window of the last grant lasts. */
  private boolean knowsWindow(long now) {
    return epoch != BucketRule.ANY_WINDOW && now - resetAtNanos < 0;
  }

  /** Takes in a grant asked for at {@code sentNanos} (its relative times start then, to stay conservative). */
  void absorb(Grant grant, long sentNanos) {
    fetching = false;
    if (grant.epoch() != epoch) {
      permits = 0; // permits of an older window are void
      epoch = grant.epoch();
    }
    permits += grant.granted();
    lastGranted = grant.granted();
    validUntilNanos = sentNanos + grant.validMillis() * 1_000_000;
    resetAtNanos = sentNanos + grant.resetMillis() * 1_000_000;
    remainingAtGrant = grant.remaining();
    exhaustedUntilNanos = grant.remaining() == 0 ? sentNanos + grant.retryAfterMillis() * 1_000_000 : sentNanos;
  }

  /** True when the owner still had permits at the last grant (waiters left over may ask again). */
  boolean ownerHadMore() {
    return remainingAtGrant > 0;
  }

  /** A permit that a later limit made unnecessary goes back into the lease (it stays valid as long as the lease). */
  void refund() {
    permits++;
  }

  /** Takes the unspent permits out of the lease (to give them back); 0 when none are valid. */
  long drain(long now) {
    long unspent = now - validUntilNanos < 0 ? permits : 0;
    permits = 0;
    lastGranted = 0;
    return unspent;
  }

  long epoch() {
    return epoch;
  }

  boolean holdsPermits() {
    return permits > 0;
  }

  private static long millisUntil(long atNanos, long now) {
    return Math.max(0, (atNanos - now + 999_999) / 1_000_000);
  }
}
