package io.gridgate.proxy;

import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.UpstreamRequest;
import io.gridgate.upstream.Bulkhead;
import io.gridgate.upstream.CircuitBreaker;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.gridgate.upstream.UpstreamTlsOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one way the gateway calls an upstream on an exchange's behalf, for forwarding, WebSocket
 * tunnels and composed parts alike: the upstream's bulkhead and circuit breaker (with its single
 * prober) first, then attempts, each to a target the balancer picks among those not yet tried,
 * within a retry budget; each attempt's outcome goes to the target's health, the breaker, the
 * request's record and the observers; the route's total and idle deadlines run on the event loop's
 * sweeper once started.
 */
final class UpstreamCall implements DeadlineSweeper.Deadline {
  private final Exchange ex;
  private final UpstreamPool pool;
  private final UpstreamConnector connector;
  private final RequestObserver observer;
  private int retriesLeft;
  private Set<Target> tried = Set.of();
  private UpstreamRequest current;
  private Bulkhead slot;
  private boolean probe;
  private boolean outcomePending;
  private long deadlineNanos;
  private long lastActivityNanos;
  private boolean idlePaused;
  private int failureStatus;
  private String failureMessage;

  /** A call to {@code pool} over {@code connector} that may be sent again {@code retries} times. */
  UpstreamCall(Exchange ex, UpstreamPool pool, UpstreamConnector connector, RequestObserver observer, int retries) {
    this.ex = ex;
    this.pool = pool;
    this.connector = connector;
    this.observer = observer;
    this.retriesLeft = retries;
  }

  UpstreamPool pool() {
    return pool;
  }

  /**
   * Passes the bulkhead (a slot held until {@link #finish()}) and the circuit breaker: succeeds at
   * once when the call may go (no future is made), after the grid's answer when the breaker asks
   * this node to claim the probe, and fails with {@link Refused} (503) when it may not.
   */
  Future<Void> admit() {
    Bulkhead bulkhead = pool.bulkhead();
    if (bulkhead != null) {
      if (!bulkhead.tryEnter()) {
        return Future.failedFuture(new Refused("bulkhead_full", "upstream '" + pool.name() + "' already has "
            + bulkhead.maxConcurrent() + " requests in flight from this node", -1));
      }
      slot = bulkhead;
    }
    CircuitBreaker breaker = pool.breaker();
    if (breaker == null) {
      return Future.succeededFuture();
    }
    return switch (breaker.admit()) {
      case ALLOW -> Future.succeededFuture();
      case PROBE -> asProbe();
      case REJECT -> circuitOpen(breaker);
      case CLAIM -> breaker.claimProbe().compose(won -> won ? asProbe() : circuitOpen(breaker));
    };
  }

  /**
   * For the exchange's own call (forwarding, a tunnel): runs {@code proceed} once admitted, else
   * answers the exchange 503, with Retry-After for an open breaker (its body is never read).
   */
  void admitThen(Runnable proceed) {
    Future<Void> admitted = admit();
    if (admitted.succeeded()) {
      proceed.run();
      return;
    }
    admitted.onComplete(ar -> {
      if (ar.succeeded()) {
        proceed.run();
      } else {
        refuse((Refused) ar.cause());
      }
    });
  }

  private void refuse(Refused refused) {
    if (refused.retryAfterSeconds >= 0) {
      ex.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds));
    }
    if (ex.hasBody()) {
      ex.response().closeConnectionAfter();
    }
    ex.fail(503, refused.error, refused.getMessage());
  }

  /** This call is the breaker's probe: it is sent once, without retries. */
  private Future<Void> asProbe() {
    probe = true;
    retriesLeft = 0;
    return Future.succeededFuture();
  }

  private Future<Void> circuitOpen(CircuitBreaker breaker) {
    return Future.failedFuture(new Refused("circuit_open", "the circuit breaker of upstream '" + pool.name() + "' is "
        + breaker.phase().name().toLowerCase(Locale.ROOT).replace('_', '-'), breaker.retryAfterSeconds()));
  }

  /** The next target: one the balancer picks among the healthy targets not yet tried; null when none is left. */
  Target pick() {
    return pool.pick(ex.request, ex.client.address(), tried);
  }

  /** Options for a request of {@code method} and {@code uri} to {@code target}, with the route's connect timeout. */
  RequestOptions options(Target target, HttpMethod method, String uri) {
    return new RequestOptions()
        .setMethod(method)
        .setServer(target.address())
        .setHost(UpstreamTlsOptions.host(pool.spec().tls(), target.spec()))
        .setPort(target.spec().port())
        .setURI(uri)
        .setConnectTimeout(ex.route.spec().timeouts().connect().toMillis());
  }

  /**
   * Starts an attempt to {@code target}: it counts as tried and busy, and its outcome is owed to the
   * breaker; completes with the request, its headers written, once a connection is available.
   */
  Future<UpstreamRequest> open(Target target, RequestOptions options) {
    if (tried.isEmpty()) {
      tried = Set.of(target); // most calls make one attempt
    } else {
      Set<Target> more = new HashSet<>(tried);
      more.add(target);
      tried = more;
    }
    outcomePending = true;
    target.begin();
    ex.record.attemptStarted(target);
    touch();
    Future<UpstreamRequest> opened;
    try {
      opened = connector.request(options);
    } catch (IllegalStateException closed) {
      opened = Future.failedFuture(new ConnectorRetired(closed));
    }
    return opened.map(request -> {
      current = request;
      request.exceptionHandler(ignored -> {
        // failures surface through the response future and the body pipe, which answer the client
      });
      return request;
    });
  }

  /** Writes the headers of the attempt's request: the client's, the route's and the steps'. */
  void writeHeaders(UpstreamRequest request) {
    UpstreamRequestHeaders.write(ex, pool, request);
  }

  /** The target answered {@code status}: its health and the breaker learn of it (5xx counts against both). */
  void answered(Target target, int status) {
    if (status >= 500) {
      target.recordFailure(pool.nowNanos());
    } else {
      target.recordSuccess();
    }
    outcome(status < 500);
  }

  /**
   * The attempt got no answer ({@code cause}): the target's health and the breaker count it unless the
   * client caused it; the request's record and the node log get the details; the client's message is
   * remembered for {@link #failWithLastAttempt()} and returned.
   */
  String noAnswer(Target target, Throwable cause) {
    if (cause instanceof ConnectorRetired) {
      retriesLeft = 0; // not the target's failure, and every further attempt would meet the same connector
      cause = cause.getCause();
    } else {
      if (!ex.isClientsFault()) {
        target.recordFailure(pool.nowNanos());
      }
      outcome(false);
    }
    String message = UpstreamFailures.describe(ex, pool.name(), target, cause);
    attemptFailed(UpstreamFailures.status(cause), message);
    return message;
  }

  /** The attempt to {@code target} ended with an answer of {@code statusClass} ({@code error} without one). */
  void attemptEnded(Target target, String statusClass) {
    target.end();
    attemptAnswered(target, statusClass);
  }

  /** The attempt to {@code target} was answered, though the target stays busy (a WebSocket tunnel). */
  void attemptAnswered(Target target, String statusClass) {
    ex.record.attemptEnded();
    observer.attempted(pool.name(), target, statusClass);
  }

  /** The breaker's verdict on the current attempt; only the first one per attempt counts. */
  void outcome(boolean success) {
    if (!outcomePending) {
      return;
    }
    outcomePending = false;
    CircuitBreaker breaker = pool.breaker();
    if (breaker != null) {
      breaker.record(success, probe);
    }
    probe = false;
  }

  /** Remembers why an attempt failed, answered if no other attempt succeeds. */
  void attemptFailed(int status, String message) {
    failureStatus = status;
    failureMessage = message;
  }

  /**
   * Uses one retry when any is left and the upstream's breaker (if any) is still closed. Bodies
   * already streamed cannot be replayed, so only {@code replayable} tries count.
   */
  boolean takeRetry(boolean replayable) {
    CircuitBreaker breaker = pool.breaker();
    if (!replayable || retriesLeft <= 0 || ex.isDone() || breaker != null && !breaker.isClosed()) {
      return false;
    }
    retriesLeft--;
    return true;
  }

  /** Answers the exchange with the last attempt's failure, or 503 when no attempt could be made. */
  void failWithLastAttempt() {
    if (failureStatus == 0) {
      ex.fail(503, "no_healthy_upstream", "no healthy target in upstream '" + pool.name() + "'");
    } else {
      ex.fail(failureStatus, failureStatus == 504 ? "upstream_timeout" : "bad_gateway", failureMessage);
    }
  }

  /** Starts the route's total and idle clocks; the event loop's sweeper enforces them. */
  void startDeadlines() {
    long now = System.nanoTime();
    deadlineNanos = now + ex.route.spec().timeouts().total().toNanos();
    lastActivityNanos = now;
    ex.loop.deadlines().track(this);
  }

  /** Data arrived from (or a new attempt went to) the upstream: the idle clock restarts. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** While the client's back-pressure holds the upstream body, silence is not idleness. */
  void idlePaused(boolean paused) {
    if (idlePaused && !paused) {
      touch();
    }
    idlePaused = paused;
  }

  @Override
  public boolean isOverdue(long now) {
    return now - deadlineNanos >= 0
        || (!idlePaused && now - lastActivityNanos >= ex.route.spec().timeouts().idle().toNanos());
  }

  /** Ends an overdue exchange with 504, or a reset once its response has started. */
  @Override
  public void timeOut(long now) {
    outcome(false);
    String message = now - deadlineNanos >= 0
        ? "no complete answer from upstream '" + pool.name() + "' within " + ex.route.spec().timeouts().total().toMillis() + " ms"
        : "no data from upstream '" + pool.name() + "' for " + ex.route.spec().timeouts().idle().toMillis() + " ms";
    ex.fail(504, "upstream_timeout", message);
  }

  /** Abandons the current attempt's request, if one went out. */
  void reset() {
    if (current != null) {
      current.reset();
    }
  }

  /** Hands the bulkhead slot to the caller (a WebSocket tunnel outlives its exchange): run the result to release it. */
  Runnable detachSlot() {
    Bulkhead held = slot;
    slot = null;
    return held == null ? () -> { } : held::exit;
  }

  /**
   * The call is over: the deadlines stop, the bulkhead slot is released, and an unsettled probe
   * gives its claim back without a verdict.
   */
  void finish() {
    ex.loop.deadlines().untrack(this);
    if (slot != null) {
      slot.exit();
      slot = null;
    }
    outcomePending = false;
    if (probe) {
      probe = false;
      pool.breaker().releaseProbe();
    }
  }

  /** A push retired the upstream's connector while the exchange was between attempts. */
  private static final class ConnectorRetired extends RuntimeException {
    ConnectorRetired(IllegalStateException closed) {
      super(closed.getMessage(), closed, false, false);
    }
  }

  /** The upstream may not be called now: 503 with {@code error}, and Retry-After when {@code retryAfterSeconds} >= 0. */
  static final class Refused extends RuntimeException {
    final String error;
    final long retryAfterSeconds;

    Refused(String error, String message, long retryAfterSeconds) {
      super(message, null, false, false);
      this.error = error;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }
}
