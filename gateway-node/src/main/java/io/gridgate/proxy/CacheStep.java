package io.gridgate.proxy;

import io.gridgate.cache.CacheFill;
import io.gridgate.cache.CacheResult;
import io.gridgate.cache.CachedResponse;
import io.gridgate.cache.RouteCache;
import io.gridgate.http.ClientResponse;
import io.gridgate.security.Identity;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * The route's response cache as one step (after the policies and rate limits, so every request is
 * admitted and counted before a hit): answers from a fresh stored entry (with {@code Age}, or 304
 * when the client's {@code If-None-Match} names its ETag), or notes the cache's verdict and, on a
 * miss, copies the relayed answer (head, body, end) into the store; concurrent misses of one key
 * wait, suspended, for the first one's copy. Every answer of the route says what the cache did.
 */
final class CacheStep implements Step {
  private static final StepState<Verdict> VERDICT = StepState.create();
  private final RouteCache cache;

  /** What the cache did for one exchange, and the copy of its answer to store (null when none). */
  private static final class Verdict {
    final CacheResult result;
    final CacheFill fill;

    Verdict(CacheResult result, CacheFill fill) {
      this.result = result;
      this.fill = fill;
    }
  }

  private CacheStep(RouteCache cache) {
    this.cache = cache;
  }

  /** Steps for the routes that have any, from a version's compiled RouteCache by route id. */
  static StepFactory factory(Map<String, RouteCache> caches) {
    return StepFactory.byRouteId(caches, CacheStep::new);
  }

  /** {@code Hit}, {@code Miss}, {@code Bypass} or {@code Refresh}; null when the route has no cache. */
  static String status(Exchange ex) {
    Verdict verdict = ex.get(VERDICT);
    return verdict == null ? null : verdict.result.headerValue();
  }

  @Override
  public Next onRequest(Exchange ex) {
    Identity caller = ex.identity();
    CacheResult result = cache.policy().onRequest(ex.request.method().name(), ex.request.headers(),
        declaresBody(ex.request.headers()), caller != null);
    if (result == CacheResult.BYPASS) {
      return goUpstream(ex, result, null);
    }
    String key = cache.key(GatewayHandler.host(ex.request.authority()), ex.path, ex.request.query(),
        ex.request.headers(), caller);
    if (result == CacheResult.REFRESH) {
      return goUpstream(ex, result, isGet(ex) ? cache.fill(key) : null);
    }
    return lookUp(ex, key, true);
  }

  /**
   * A fresh entry is a hit; else the first GET miss of the key goes upstream and takes the copy,
   * while later ones ({@code mayWait}) wait for it and look again. HEAD misses never fill the entry
   * (a HEAD answer has no body to store).
   */
  private Next lookUp(Exchange ex, String key, boolean mayWait) {
    CachedResponse stored = cache.lookup(key);
    if (stored != null) {
      cache.count(CacheResult.HIT);
      ex.put(VERDICT, new Verdict(CacheResult.HIT, null));
      answer(ex, stored, cache.nowNanos());
      return Next.ANSWERED;
    }
    if (!isGet(ex)) {
      return goUpstream(ex, CacheResult.MISS, null);
    }
    CacheFill fill = mayWait ? cache.leadingFill(key) : null;
    if (fill == null) {
      if (mayWait && awaitLead(ex, key)) {
        return Next.SUSPENDED;
      }
      fill = cache.fill(key);
    }
    return goUpstream(ex, CacheResult.MISS, fill);
  }

  /**
   * Waits for the leading miss of {@code key}, at most the route's total timeout, then looks again
   * on this event loop; false when the lead ended meanwhile (the caller goes upstream).
   */
  private boolean awaitLead(Exchange ex, String key) {
    Context context = Vertx.currentContext();
    boolean[] woken = {false};
    Runnable wake = () -> {
      if (!woken[0]) {
        woken[0] = true;
        afterWaiting(ex, key);
      }
    };
    long timer = context.owner().setTimer(cache.maxWaitMillis(), t -> wake.run());
    boolean waiting = cache.awaitFill(key, () -> context.runOnContext(v -> {
      context.owner().cancelTimer(timer);
      wake.run();
    }));
    if (!waiting) {
      context.owner().cancelTimer(timer);
    }
    return waiting;
  }

  private void afterWaiting(Exchange ex, String key) {
    if (ex.response().closed()) {
      ex.clientGone();
    } else if (lookUp(ex, key, false) == Next.CONTINUE) {
      ex.resume();
    }
  }

  private Next goUpstream(Exchange ex, CacheResult result, CacheFill fill) {
    cache.count(result);
    ex.put(VERDICT, new Verdict(result, fill));
    return Next.CONTINUE;
  }

  private static boolean isGet(Exchange ex) {
    return ex.request.method() == HttpMethod.GET;
  }

  /**
   * A body announced by {@code Content-Length} above 0 or by chunked encoding. (Over HTTP/2 the end
   * of a bodyless request's stream may not have been seen yet, so {@link Exchange#hasBody} cannot tell.)
   */
  private static boolean declaresBody(MultiMap headers) {
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    return (length != null && !length.trim().equals("0")) || headers.contains(HttpHeaders.TRANSFER_ENCODING);
  }

  /** Answers from the stored entry, through the door like every answer of the route. */
  private static void answer(Exchange ex, CachedResponse stored, long nowNanos) {
    MultiMap headers = ex.response().headers();
    for (Map.Entry<String, String> header : stored.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    boolean notModified = stored.status() == 200
        && matchesETag(ex.request.getHeader(HttpHeaders.IF_NONE_MATCH), stored.etag());
    int status = notModified ? 304 : stored.status();
    Answers.head(ex, status);
    headers.set(HttpHeaders.AGE, Long.toString(stored.ageSeconds(nowNanos)));
    ex.finish();
    if (notModified) {
      headers.remove(HttpHeaders.CONTENT_LENGTH);
      ex.response().setStatusCode(304).end();
    } else if (ex.request.method() == HttpMethod.HEAD) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(stored.body().length));
      ex.response().setStatusCode(status).end();
    } else {
      ex.response().setStatusCode(status).end(Buffer.buffer(stored.body()));
    }
  }

  /** RFC 9110 weak comparison of {@code If-None-Match} with the stored ETag ({@code *} matches any). */
  private static boolean matchesETag(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || etag == null) {
      return false;
    }
    String opaque = weakless(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || weakless(tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String weakless(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  @Override
  public void onResponseHead(Exchange ex, int status, ClientResponse response) {
    Verdict verdict = ex.get(VERDICT);
    if (verdict == null) {
      return;
    }
    MultiMap headers = response.headers();
    if (verdict.fill != null) {
      verdict.fill.start(status, headers);
    }
    headers.set(CacheResult.HEADER, verdict.result.headerValue());
  }

  @Override
  public boolean readsResponseBody() {
    return true;
  }

  @Override
  public void onResponseBody(Exchange ex, Buffer chunk) {
    Verdict verdict = ex.get(VERDICT);
    if (verdict != null && verdict.fill != null) {
      verdict.fill.append(chunk);
    }
  }

  @Override
  public void onResponseEnd(Exchange ex) {
    Verdict verdict = ex.get(VERDICT);
    if (verdict != null && verdict.fill != null) {
      verdict.fill.complete();
    }
  }

  @Override
  public void onFinish(Exchange ex) {
    Verdict verdict = ex.get(VERDICT);
    if (verdict != null && verdict.fill != null) {
      verdict.fill.settle();
    }
  }
}
