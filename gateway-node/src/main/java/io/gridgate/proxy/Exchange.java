package io.gridgate.proxy;

import io.gridgate.cache.CacheFill;
import io.gridgate.cache.CacheResult;
import io.gridgate.cache.RouteCache;
import io.gridgate.config.RateLimitHeaders;
import io.gridgate.ratelimit.LimitDecision;
import io.gridgate.ratelimit.RateLimitHeaderWriter;
import io.gridgate.routing.CompiledRoute;
import io.gridgate.security.Identity;
import io.gridgate.security.PolicyContext;
import io.gridgate.upstream.Bulkhead;
import io.gridgate.upstream.CircuitBreaker;
import io.gridgate.upstream.Target;
import io.gridgate.upstream.UpstreamPool;
import io.gridgate.upstream.UpstreamTlsOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.gridgate.http.UpstreamConnector;
import io.gridgate.http.UpstreamRequest;
import io.vertx.core.http.HttpMethod;
import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.util.HashSet;
import java.util.Set;

/**
 * The state of one client request while it is forwarded: route, request body, attempts, deadlines
 * and outcome, the bulkhead slot it holds, what its attempts tell the upstream's circuit breaker and
 * what the route's response cache did with it.
 */
final class Exchange implements DeadlineSweeper.Deadline {
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(
      HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  private final DeadlineSweeper deadlines;
  private final RequestObserver observer;
  final RequestRecord record;
  final ClientRequest request;
  final ClientResponse response;
  final String requestId;
  final RequestTrace trace;
  final String peer;
  final boolean trustedPeer;
  final String clientAddress;
  final CompiledRoute route;
  final UpstreamPool pool;
  final UpstreamConnector client;
  final String uri;
  final boolean hasBody;
  /** The client's body; null when the request has none. */
  final RequestBody body;

  private Buffer transformedBody;
  private RateLimitHeaders rateLimitStyle;
  private LimitDecision rateLimit;
  private Runnable onEnd;
  private PolicyContext policies;
  private int retriesLeft;
  private Set<Target> tried = Set.of();
  private UpstreamRequest upstream;
  private long deadlineNanos;
  private long idleNanos;
  private long lastActivityNanos;
  private boolean idlePaused;
  private boolean done;
  private boolean clientAtFault;
  private int failureStatus;
  private String failureMessage;
  private Bulkhead slot;
  private boolean probe;
  private boolean outcomePending;
  private RouteCache cache;
  private String cachePath;
  private CacheResult cacheResult;
  private CacheFill cacheFill;

  Exchange(DeadlineSweeper deadlines, RequestObserver observer, RequestRecord record, String requestId, String peer,
           boolean trustedPeer, String clientAddress, CompiledRoute route, UpstreamPool pool, UpstreamConnector client,
           String uri, RequestBody body) {
    this.deadlines = deadlines;
    this.observer = observer;
    this.record = record;
    this.request = record.request();
    this.response = request.response();
    this.requestId = requestId;
    this.trace = record.trace();
    this.peer = peer;
    this.trustedPeer = trustedPeer;
    this.clientAddress = clientAddress;
    this.route = route;
    this.pool = pool;
    this.client = client;
    this.uri = uri;
    this.hasBody = body != null;
    this.body = body;
    if (body != null) {
      body.watch(this::touch, this::bodyTimedOut, this::clientBodyFailed);
    }
    this.retriesLeft = IDEMPOTENT.contains(request.method()) ? route.spec().retries().attempts() : 0;
    record.routed(route.id(), pool == null ? null : pool.name(), clientAddress, this);
  }

  /** The route's limits decided: their headers go on the response; {@code onEnd} (may be null) runs when the exchange ends. */
  void rateLimited(RateLimitHeaders style, LimitDecision decision, Runnable onEnd) {
    this.rateLimitStyle = style;
    this.rateLimit = decision;
    this.onEnd = onEnd;
  }

  /** The route's policies ran on this context: its upstream and response headers apply. */
  void policies(PolicyContext context) {
    this.policies = context;
  }

  /** Who the request is, once a policy proved it; null otherwise. */
  Identity identity() {
    return policies == null ? null : policies.identity();
  }

  /** The policies' changes to the upstream request's headers (credentials and spoofed identity removed, identity set). */
  void writePolicyUpstreamHeaders(MultiMap headers) {
    if (policies != null) {
      policies.writeUpstream(headers);
    }
  }

  /** The headers the policies add to the client's response. */
  void writePolicyResponseHeaders(MultiMap headers) {
    if (policies != null) {
      policies.writeResponse(headers);
    }
  }

  /** The headers of this exchange alone on its answer: rate limits, the policies' headers and the request id. */
  void writeGatewayResponseHeaders(MultiMap headers) {
    writeRateLimitHeaders(headers);
    writePolicyResponseHeaders(headers);
    headers.set(RequestIds.HEADER, requestId);
  }

  /** Adds the rate-limit headers, when the route has limits. */
  void writeRateLimitHeaders(MultiMap headers) {
    if (rateLimit != null) {
      RateLimitHeaderWriter.write(headers, rateLimitStyle, rateLimit);
    }
  }

  /** The request body was read whole and changed: every attempt sends this instead of the client's. */
  void transformedBody(Buffer transformed) {
    this.transformedBody = transformed;
  }

  /** The body every attempt sends whole (changed, or held to its end), or null when the client's body streams. */
  Buffer wholeBody() {
    return transformedBody != null ? transformedBody : body == null ? null : body.whole();
  }

  /** Whether the request can be sent again: it has no body, or one the gateway holds whole. */
  boolean isReplayable() {
    return !hasBody || wholeBody() != null;
  }

  boolean isDone() {
    return done;
  }

  Set<Target> tried() {
    return tried;
  }

  void markTried(Target target) {
    if (tried.isEmpty()) {
      tried = new HashSet<>(4);
    }
    tried.add(target);
  }

  /**
   * Uses one retry when any is left and the upstream's breaker (if any) is still closed. Bodies
   * already streamed cannot be replayed, so only {@code replayable} tries count.
   */
  boolean takeRetry(boolean replayable) {
    CircuitBreaker breaker = pool.breaker();
    if (!replayable || retriesLeft <= 0 || done || breaker != null && !breaker.isClosed()) {
      return false;
    }
    retriesLeft--;
    return true;
  }

  /** Takes a slot of the upstream's bulkhead (if it has one), released when the exchange ends; false when full. */
  boolean enterBulkhead() {
    Bulkhead bulkhead = pool.bulkhead();
    if (bulkhead == null) {
      return true;
    }
    if (!bulkhead.tryEnter()) {
      return false;
    }
    slot = bulkhead;
    return true;
  }

  /** Hands the bulkhead slot to the caller (a WebSocket tunnel outlives its exchange): run the result to release it. */
  Runnable detachSlot() {
    Bulkhead held = slot;
    slot = null;
    return held == null ? () -> { } : held::exit;
  }

  /** This exchange is the breaker's probe: it is sent once, without retries. */
  void probe() {
    probe = true;
    retriesLeft = 0;
  }

  /** An attempt goes out to {@code target}: its outcome is owed to the circuit breaker, its time to the upstream. */
  void attemptStarted(Target target) {
    outcomePending = true;
    target.begin();
    record.attemptStarted(target);
  }

  /** The attempt to {@code target} ended with an answer of {@code statusClass} ({@code error} without one). */
  void attemptEnded(Target target, String statusClass) {
    target.end();
    attemptAnswered(target, statusClass);
  }

  /** The upgrade was answered and the WebSocket tunnel opened: the request is complete (status 101). */
  void tunnelOpened() {
    if (record.finish(101, false)) {
      observer.completed(record);
    }
  }

  /** The attempt to {@code target} was answered, though the target stays busy (a WebSocket tunnel). */
  void attemptAnswered(Target target, String statusClass) {
    record.attemptEnded();
    observer.attempted(pool.name(), target, statusClass);
  }

  /** A call to {@code target} of {@code upstream} on this exchange's behalf (a composed route's part) was answered. */
  void partAnswered(String upstream, Target target, String statusClass) {
    observer.attempted(upstream, target, statusClass);
  }

  /** The current attempt's outcome for the circuit breaker; only the first one per attempt counts. */
  void attemptOutcome(boolean success) {
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

  /** Options for a request of this exchange to {@code target}, with the route's connect timeout. */
  RequestOptions requestTo(Target target) {
    return new RequestOptions()
        .setMethod(request.method())
        .setServer(target.address())
        .setHost(UpstreamTlsOptions.host(pool.spec().tls(), target.spec()))
        .setPort(target.spec().port())
        .setURI(policies == null ? uri : policies.upstreamUri(uri))
        .setConnectTimeout(route.spec().timeouts().connect().toMillis());
  }

  /** Adopts the upstream request of the current attempt and writes its headers. */
  void upstream(UpstreamRequest request) {
    this.upstream = request;
    request.exceptionHandler(ignored -> {
      // failures surface through the response future and the body pipe, which answer the client
    });
    UpstreamRequestHeaders.write(this, request);
  }

  /** Starts the route's total and idle clocks; the event loop's sweeper enforces them. */
  void startDeadlines() {
    long now = System.nanoTime();
    deadlineNanos = now + route.spec().timeouts().total().toNanos();
    idleNanos = route.spec().timeouts().idle().toNanos();
    lastActivityNanos = now;
    deadlines.track(this);
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
    return now - deadlineNanos >= 0 || (!idlePaused && now - lastActivityNanos >= idleNanos);
  }

  /** Ends an overdue exchange with 504, or a reset once its response has started. */
  @Override
  public void timeOut(long now) {
    attemptOutcome(false);
    String message = now - deadlineNanos >= 0
        ? "no complete answer from upstream '" + pool.name() + "' within " + route.spec().timeouts().total().toMillis() + " ms"
        : "no data from upstream '" + pool.name() + "' for " + route.spec().timeouts().idle().toMillis() + " ms";
    fail(504, "upstream_timeout", message);
  }

  /** Remembers why an attempt failed, answered if no other attempt succeeds. */
  void attemptFailed(int status, String message) {
    failureStatus = status;
    failureMessage = message;
  }

  /** Answers with the last attempt's failure, or 503 when no attempt could be made. */
  void failWithLastAttempt() {
    if (failureStatus == 0) {
      fail(503, "no_healthy_upstream", "no healthy target in upstream '" + pool.name() + "'");
    } else {
      fail(failureStatus, failureStatus == 504 ? "upstream_timeout" : "bad_gateway", failureMessage);
    }
  }

  /**
   * Ends the exchange with a gateway error (or a reset when the response has already started); an
   * HTTP/1.x connection whose request body was not read to its end is closed after the answer.
   */
  void fail(int status, String error, String message) {
    if (done) {
      return;
    }
    finish();
    if (upstream != null) {
      upstream.reset();
    }
    if (hasBody && !body.isRead() && !response.headWritten()) {
      request.response().closeConnectionAfter();
    }
    ErrorResponses.send(record, status, error, message, requestId);
  }

  /**
   * The client's body stalled or crawled: 408 {@code request_timeout} (a reset once the answer
   * started), the upstream request reset, and the client stopped from sending more.
   */
  private void bodyTimedOut(String reason) {
    clientAtFault = true;
    if (done && upstream != null) {
      upstream.reset();
    }
    fail(408, "request_timeout", reason);
    body.abandon();
  }

  /**
   * Reading the client's body failed: 413 when it grew past {@code max_body_size}, else 400 (it broke
   * off or was malformed, e.g. a bad chunk); the upstream request is reset, and the failed attempt is
   * the client's fault, not the target's.
   */
  void clientBodyFailed(Throwable failure) {
    clientAtFault = true;
    if (failure instanceof BodySizeLimiter.BodyTooLargeException) {
      fail(413, "body_too_large", failure.getMessage());
    } else {
      fail(400, "bad_request", "the request body is malformed or was cut off");
      // a body the HTTP/1.1 decoder refused fails its connection, which Vert.x closes right after this
      // handler: the answer must leave now, not at the end of the read it was written in
      response.flushNow();
    }
  }

  /**
   * Ends the exchange as sent; later failures and the timer are ignored. Its bulkhead slot is
   * released, an unsettled probe gives its slot back without a verdict, and misses waiting for
   * this exchange's cache copy are woken.
   */
  void finish() {
    done = true;
    deadlines.untrack(this);
    if (body != null) {
      body.exchangeFinished();
    }
    if (slot != null) {
      slot.exit();
      slot = null;
    }
    outcomePending = false;
    if (probe) {
      probe = false;
      pool.breaker().releaseProbe();
    }
    if (cacheFill != null) {
      cacheFill.settle();
    }
    if (onEnd != null) {
      Runnable release = onEnd;
      onEnd = null;
      release.run();
    }
  }

  /**
   * True when the exchange ended because of the client (it went away, its body stalled, broke off or
   * was malformed): the failed attempt is not the target's fault.
   */
  boolean isClientsFault() {
    return clientAtFault;
  }

  /** The client went away: stop the upstream side too. */
  void clientGone() {
    if (!done) {
      clientAtFault = true;
      finish();
      if (upstream != null) {
        upstream.reset();
      }
    }
  }

  /** The route caches answers: this exchange may be served from its cache; {@code path} is the normalised request path. */
  void cacheable(RouteCache routeCache, String path) {
    this.cache = routeCache;
    this.cachePath = path;
  }

  /** The route's response cache, or null. */
  RouteCache cache() {
    return cache;
  }

  String cachePath() {
    return cachePath;
  }

  /** What the cache did for this exchange, and the copy of its answer to store (null when none). */
  void cached(CacheResult result, CacheFill fill) {
    this.cacheResult = result;
    this.cacheFill = fill;
  }

  /** {@code Hit}, {@code Miss}, {@code Bypass} or {@code Refresh}; null when the route has no cache. */
  String cacheStatus() {
    return cacheResult == null ? null : cacheResult.headerValue();
  }

  /**
   * The upstream's answer head is in {@code headers}: marks it with the cache's verdict and returns
   * its body, copied on its way to the client when the answer may be stored.
   */
  ReadStream<Buffer> cachedBody(int status, MultiMap headers, ReadStream<Buffer> body) {
    return startCacheCopy(status, headers) ? CacheFillStream.copying(body, cacheFill) : body;
  }

  /** As {@link #cachedBody}, for an answer the gateway holds whole (a transformed body): copied at once. */
  void cachedWhole(int status, MultiMap headers, Buffer body) {
    if (startCacheCopy(status, headers)) {
      cacheFill.append(body);
      cacheFill.complete();
    }
  }

  /** Marks the answer with its cache status; true when a copy of it is to be stored. */
  private boolean startCacheCopy(int status, MultiMap headers) {
    if (cacheResult == null) {
      return false;
    }
    boolean copied = cacheFill != null && cacheFill.start(status, headers);
    headers.set(CacheResult.HEADER, cacheResult.headerValue());
    return copied;
  }
}
