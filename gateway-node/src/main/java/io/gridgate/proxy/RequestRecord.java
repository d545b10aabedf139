package io.gridgate.proxy;

import io.gridgate.http.ClientRequest;
import io.gridgate.http.ClientResponse;
import io.gridgate.security.Identity;
import io.gridgate.upstream.Target;

/**
 * What one client request came to, for metrics and the access log: when it arrived, its ids, the
 * route and the upstream target that served it, the time spent on upstream attempts (the rest is
 * the gateway's own), why the last failed attempt failed, the status and the bytes in and out.
 * Filled in on the request's event loop and read by observers once its response ended.
 */
public final class RequestRecord {
  /** The route of a request no route matched. */
  public static final String UNMATCHED = "-";
  /** The status class of an upstream attempt that got no answer (connect failure, reset, timeout). */
  public static final String NO_ANSWER = "error";
  private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final ClientRequest request;
  private final long startNanos;
  private final long startMillis;
  private String requestId;
  private RequestTrace trace;
  private String clientAddress;
  private String routeId = UNMATCHED;
  private String upstream;
  private Target target;
  private String upstreamError;
  private Exchange exchange;
  private long attemptStartNanos;
  private long upstreamNanos;
  private int status;
  private int answeredAs;
  private boolean aborted;
  private long totalNanos;
  private boolean finished;

  RequestRecord(ClientRequest request) {
    this.request = request;
    this.startNanos = System.nanoTime();
    this.startMillis = System.currentTimeMillis();
  }

  void identified(String requestId, RequestTrace trace) {
    this.requestId = requestId;
    this.trace = trace;
  }

  RequestTrace trace() {
    return trace;
  }

  void routed(String routeId, String upstream, String clientAddress, Exchange exchange) {
    this.routeId = routeId;
    this.upstream = upstream;
    this.clientAddress = clientAddress;
    this.exchange = exchange;
  }

  void attemptStarted(Target target) {
    this.target = target;
    this.attemptStartNanos = System.nanoTime();
  }

  /** Why a call to the upstream failed (target and exception): for the access log, never for the client. */
  void upstreamError(String detail) {
    this.upstreamError = detail;
  }

  /** The running attempt ended: its time counts as the upstream's. */
  void attemptEnded() {
    if (attemptStartNanos != 0) {
      upstreamNanos += System.nanoTime() - attemptStartNanos;
      attemptStartNanos = 0;
    }
  }

  /** The gateway answered a gRPC call with a gRPC error (HTTP 200): {@code status} is recorded as its outcome. */
  void answeredAs(int status) {
    this.answeredAs = status;
  }

  /**
   * The response ended: fully sent, or aborted (499 when the client left before any answer). False
   * when the record was already finished (a WebSocket tunnel, finished at its upgrade, closing).
   */
  boolean finish(ClientResponse response) {
    boolean notWhole = !response.ended();
    int sent = answeredAs != 0 ? answeredAs : response.getStatusCode();
    return finish(notWhole && !response.headWritten() ? 499 : sent, notWhole);
  }

  /** Finishes the record with {@code status}; false when it was already finished. */
  boolean finish(int status, boolean aborted) {
    if (finished) {
      return false;
    }
    finished = true;
    attemptEnded();
    this.totalNanos = System.nanoTime() - startNanos;
    this.status = status;
    this.aborted = aborted;
    return true;
  }

  /** The id of the trace this request belongs to (null for a request rejected before it got one). */
  public String traceId() {
    return trace == null ? null : trace.traceId();
  }

  public ClientRequest request() {
    return request;
  }

  /** Wall-clock time the request arrived, in epoch milliseconds. */
  public long startMillis() {
    return startMillis;
  }

  /** The request id (null for a request rejected before it got one). */
  public String requestId() {
    return requestId;
  }

  /** The client's address: the trusted forwarded one for a routed request, else the peer's. */
  public String clientAddress() {
    if (clientAddress == null) {
      clientAddress = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
    return clientAddress;
  }

  /** The matched route's id, or {@link #UNMATCHED}. */
  public String routeId() {
    return routeId;
  }

  /** The route's upstream (null when none was chosen). */
  public String upstream() {
    return upstream;
  }

  /** The target of the last upstream attempt, or null. */
  public Target target() {
    return target;
  }

  /** Why the last failed call to the upstream failed (target and exception), or null. */
  public String upstreamError() {
    return upstreamError;
  }

  /** The authenticated consumer, else the token's subject, else null. */
  public String consumer() {
    Identity identity = exchange == null ? null : exchange.identity();
    if (identity == null) {
      return null;
    }
    return identity.consumer() != null ? identity.consumer() : identity.subject();
  }

  /** What the response cache did ({@code Hit}, {@code Miss}, {@code Bypass}, {@code Refresh}); null on routes without one. */
  public String cacheStatus() {
    return exchange == null ? null : CacheStep.status(exchange);
  }

  public int status() {
    return status;
  }

  public String statusClass() {
    return statusClass(status);
  }

  /** {@code 1xx} … {@code 5xx} for a status code ({@code other} out of range). */
  public static String statusClass(int status) {
    int index = status / 100 - 1;
    return index >= 0 && index < STATUS_CLASSES.length ? STATUS_CLASSES[index] : "other";
  }

  /** True when the response was not sent whole (the client left, or the upstream failed mid-body). */
  public boolean aborted() {
    return aborted;
  }

  public long totalNanos() {
    return totalNanos;
  }

  /** Time spent on upstream attempts: from sending each until its response was read whole. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  /** The gateway's own time: the total less the upstream's. */
  public long gatewayNanos() {
    return totalNanos - upstreamNanos;
  }

  public long bytesIn() {
    return request.bytesRead();
  }

  public long bytesOut() {
    return request.response().bytesWritten();
  }
}
