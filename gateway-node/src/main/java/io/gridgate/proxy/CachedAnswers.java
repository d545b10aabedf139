package io.gridgate.proxy;

import io.gridgate.cache.CacheFill;
import io.gridgate.cache.CacheResult;
import io.gridgate.cache.CachedResponse;
import io.gridgate.cache.RouteCache;
import io.gridgate.security.Identity;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.gridgate.http.ClientResponse;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The response cache's step of an admitted exchange (after policies and rate limits, before the
 * forwarder): answers from a fresh stored entry (with {@code Age}, or 304 when the client's
 * {@code If-None-Match} names its ETag), or records the cache's verdict on the exchange and starts
 * the copy of the upstream's answer; concurrent misses of one key wait for the first one's copy.
 */
final class CachedAnswers {
  /** Answers {@code ex} from its route's cache, or hands it to {@code forward} (at once, or once the miss it waits for ended). */
  void serve(Exchange ex, Consumer<Exchange> forward) {
    RouteCache cache = ex.cache();
    if (cache == null) {
      forward.accept(ex);
      return;
    }
    Identity caller = ex.identity();
    CacheResult result = cache.policy().onRequest(ex.request.method().name(), ex.request.headers(),
        declaresBody(ex.request.headers()), caller != null);
    if (result == CacheResult.BYPASS) {
      forwardAs(ex, cache, result, null, forward);
      return;
    }
    String key = cache.key(GatewayHandler.host(ex.request.authority()), ex.cachePath(), ex.request.query(),
        ex.request.headers(), caller);
    if (result == CacheResult.REFRESH) {
      forwardAs(ex, cache, result, isGet(ex) ? cache.fill(key) : null, forward);
    } else {
      lookUp(ex, cache, key, forward, true);
    }
  }

  /**
   * A fresh entry is a hit; else the first GET miss of the key goes upstream and takes the copy,
   * while later ones ({@code mayWait}) wait for it and look again. HEAD misses never fill the entry
   * (a HEAD answer has no body to store).
   */
  private void lookUp(Exchange ex, RouteCache cache, String key, Consumer<Exchange> forward, boolean mayWait) {
    CachedResponse stored = cache.lookup(key);
    if (stored != null) {
      cache.count(CacheResult.HIT);
      ex.cached(CacheResult.HIT, null);
      answer(ex, stored);
      return;
    }
    if (!isGet(ex)) {
      forwardAs(ex, cache, CacheResult.MISS, null, forward);
      return;
    }
    CacheFill fill = mayWait ? cache.leadingFill(key) : null;
    if (fill == null) {
      if (mayWait && awaitLead(ex, cache, key, forward)) {
        return;
      }
      fill = cache.fill(key);
    }
    forwardAs(ex, cache, CacheResult.MISS, fill, forward);
  }

  /**
   * Waits for the leading miss of {@code key}, at most the route's total timeout, then looks again
   * on this event loop; false when the lead ended meanwhile (the caller goes upstream).
   */
  private boolean awaitLead(Exchange ex, RouteCache cache, String key, Consumer<Exchange> forward) {
    Context context = Vertx.currentContext();
    boolean[] woken = {false};
    Runnable wake = () -> {
      if (!woken[0]) {
        woken[0] = true;
        afterWaiting(ex, cache, key, forward);
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

  private void afterWaiting(Exchange ex, RouteCache cache, String key, Consumer<Exchange> forward) {
    if (ex.response.closed()) {
      ex.clientGone();
    } else {
      lookUp(ex, cache, key, forward, false);
    }
  }

  private static void forwardAs(Exchange ex, RouteCache cache, CacheResult result, CacheFill fill,
                                Consumer<Exchange> forward) {
    cache.count(result);
    ex.cached(result, fill);
    forward.accept(ex);
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

  private static void answer(Exchange ex, CachedResponse stored) {
    ClientResponse response = ex.response;
    MultiMap headers = response.headers();
    for (Map.Entry<String, String> header : stored.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    ex.writeGatewayResponseHeaders(headers);
    headers.set(CacheResult.HEADER, CacheResult.HIT.headerValue())
        .set(HttpHeaders.AGE, Long.toString(stored.ageSeconds(System.nanoTime())));
    if (stored.status() == 200 && matchesETag(ex.request.getHeader(HttpHeaders.IF_NONE_MATCH), stored.etag())) {
      headers.remove(HttpHeaders.CONTENT_LENGTH);
      response.setStatusCode(304).end();
    } else if (ex.request.method() == HttpMethod.HEAD) {
      headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(stored.body().length));
      response.setStatusCode(stored.status()).end();
    } else {
      response.setStatusCode(stored.status()).end(Buffer.buffer(stored.body()));
    }
    ex.finish();
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
}
