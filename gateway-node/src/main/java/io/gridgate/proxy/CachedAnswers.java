package io.gridgate.proxy;

import io.gridgate.cache.CacheResult;
import io.gridgate.cache.CachedResponse;
import io.gridgate.cache.RouteCache;
import io.gridgate.security.Identity;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * The response cache's step of an admitted exchange (after policies and rate limits, before the
 * forwarder): answers from a fresh stored entry (with {@code Age}, or 304 when the client's
 * {@code If-None-Match} names its ETag), or records the cache's verdict on the exchange and starts
 * the copy of the upstream's answer.
 */
final class CachedAnswers {
  /** True when the exchange was answered from the cache; false when it is to be forwarded. */
  boolean serve(Exchange ex) {
    RouteCache cache = ex.cache();
    if (cache == null) {
      return false;
    }
    Identity caller = ex.identity();
    CacheResult result = cache.policy().onRequest(ex.request.method().name(), ex.request.headers(),
        declaresBody(ex.request.headers()), caller != null);
    if (result == CacheResult.BYPASS) {
      ex.cached(result, null);
      cache.count(result);
      return false;
    }
    String key = cache.key(GatewayHandler.host(ex.request.authority()), ex.cachePath(), ex.request.query(),
        ex.request.headers(), caller);
    CachedResponse stored = result == CacheResult.MISS ? cache.lookup(key) : null;
    cache.count(stored != null ? CacheResult.HIT : result);
    if (stored != null) {
      ex.cached(CacheResult.HIT, null);
      answer(ex, stored);
      return true;
    }
    // a HEAD answer has no body to store; only GET answers fill the entry HEAD is served from
    ex.cached(result, ex.request.method() == HttpMethod.GET ? cache.fill(key) : null);
    return false;
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
    HttpServerResponse response = ex.response;
    MultiMap headers = response.headers();
    for (Map.Entry<String, String> header : stored.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    ex.writeRateLimitHeaders(headers);
    ex.writePolicyResponseHeaders(headers);
    headers.set(RequestIds.HEADER, ex.requestId)
        .set(CacheResult.HEADER, CacheResult.HIT.headerValue())
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
