package io.gridgate.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gridgate.config.CircuitBreakerSpec;
import io.gridgate.upstream.BreakerView.Phase;
import io.gridgate.upstream.BreakerView;
import io.gridgate.upstream.CircuitBreaker;
import io.gridgate.upstream.CircuitBreaker.Decision;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A breaker whose store answers late or not at all (as a slow or unreachable grid would): the
 * threshold opens the node's replica at once, news of the old closed state cannot undo it, the
 * store's answer confirms it, and a store that never opened it gives the decision back to the
 * node's own detector once the open period is over.
 */
class BreakerLocalTripTest {
  private final AtomicLong clockMillis = new AtomicLong(1_000_000);
  private final SlowStore store = new SlowStore();
  private final CircuitBreaker breaker = new CircuitBreaker("u", new CircuitBreakerSpec(0, 20, 2,
      Duration.ofSeconds(10), Duration.ofSeconds(5), 1, CircuitBreakerSpec.Scope.CLUSTER),
      store, () -> clockMillis.get() * 1_000_000L);

  /** A store in memory whose every answer waits until the test lets it through or fails it. */
  private final class SlowStore extends AtomicBreakerStore {
    private BreakerRecord record = BreakerRecord.INITIAL;
    private final Deque<Promise<BreakerView>> answers = new ArrayDeque<>();

    SlowStore() {
      super("member-a");
    }

    @Override
    Future<BreakerView> change(String upstream, BreakerProcessor change) {
      record = change.next(record, clockMillis.get());
      Promise<BreakerView> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    }

    /** Answers the oldest change. */
    void answer() {
      answers.poll().complete(record.viewAt(clockMillis.get()));
    }

    /** Fails the oldest change, undoing it (the grid never took it). */
    void fail(BreakerRecord before) {
      record = before;
      answers.poll().fail("grid unreachable");
    }

    /** Tells the watching breaker of a state, as the entry listener would. */
    void announce(BreakerRecord news) {
      listener("u").accept(news.asNews());
    }
  }

  @Test
  void theThresholdOpensTheReplicaBeforeTheStoreAnswers() {
    store.answer(); // the breaker's first read
    breaker.record(false, false);
    breaker.record(false, false);
    assertEquals(Phase.OPEN, breaker.phase(), "open before the store answered");
    assertEquals(Decision.REJECT, breaker.admit());
    assertFalse(breaker.isClosed(), "no retry is sent either");

    store.announce(BreakerRecord.INITIAL);
    assertEquals(Phase.OPEN, breaker.phase(), "late news of the closed state does not undo the trip");

    store.answer();
    assertEquals(Phase.OPEN, breaker.phase());
    assertEquals(1, breaker.transitions(Phase.OPEN), "the store's confirmation is not a second opening");
    assertEquals(5, breaker.retryAfterSeconds());
  }

  @Test
  void aTripTheStoreNeverTookEndsWithTheOpenPeriod() {
    tripWithoutTheStore();
    assertEquals(Decision.REJECT, breaker.admit(), "open for open_for although the grid did not take it");

    clockMillis.addAndGet(5_000);
    assertEquals(Decision.CLAIM, breaker.admit());
    Future<Boolean> claimed = breaker.claimProbe();
    store.fail(BreakerRecord.INITIAL);
    assertFalse(claimed.result());
    assertEquals(Phase.CLOSED, breaker.phase(), "the grid cannot be asked: the node's detector decides again");
    assertEquals(Decision.ALLOW, breaker.admit());
  }

  @Test
  void aTripTheStoreNeverTookGivesWayToTheStoresClosedState() {
    tripWithoutTheStore();

    clockMillis.addAndGet(5_000);
    assertEquals(Decision.CLAIM, breaker.admit());
    Future<Boolean> claimed = breaker.claimProbe();
    store.answer(); // the store is closed, at the version the node knew
    assertFalse(claimed.result(), "nothing to probe");
    assertEquals(Phase.CLOSED, breaker.phase());
    assertEquals(Decision.ALLOW, breaker.admit());
  }

  /** Trips the breaker; the store fails to take the trip. */
  private void tripWithoutTheStore() {
    store.answer();
    breaker.record(false, false);
    breaker.record(false, false);
    store.fail(BreakerRecord.INITIAL);
  }
}
