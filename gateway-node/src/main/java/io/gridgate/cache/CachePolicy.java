package io.gridgate.cache;

import io.gridgate.config.CacheSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;

/**
 * What a route's cache may serve and store: whether a request may be looked up (or must bypass,
 * or refresh the entry), and how long an upstream answer may be kept (or that it must not be).
 */
public final class CachePolicy {
  /** An upstream's max-age beyond a year is taken as a year. */
  private static final long MAX_LIFETIME_SECONDS = 365L * 24 * 3600;
  private final CacheSpec spec;

  public CachePolicy(CacheSpec spec) {
    this.spec = spec;
  }

  public CacheSpec spec() {
    return spec;
  }

  /**
   * The cache's part in a request: {@link CacheResult#MISS} means "look it up". Requests of other
   * methods, declaring a body, or with credentials the gateway did not verify bypass the cache; with
   * {@code respect_cache_control}, a client's {@code no-store} bypasses it and {@code no-cache}
   * refreshes the entry.
   */
  public CacheResult onRequest(String method, MultiMap headers, boolean declaresBody, boolean authenticated) {
    if (!spec.methods().contains(method) || declaresBody
        || (!authenticated && headers.contains(HttpHeaders.AUTHORIZATION))) {
      return CacheResult.BYPASS;
    }
    if (!spec.respectCacheControl()) {
      return CacheResult.MISS;
    }
    CacheControl control = CacheControl.of(headers.getAll(HttpHeaders.CACHE_CONTROL));
    if (control.noStore()) {
      return CacheResult.BYPASS;
    }
    boolean pragmaNoCache = "no-cache".equalsIgnoreCase(headers.get("Pragma"));
    return control.noCache() || pragmaNoCache ? CacheResult.REFRESH : CacheResult.MISS;
  }

  /**
   * How many milliseconds an answer may be kept, or 0 when it must not be stored: statuses not
   * listed, {@code Set-Cookie}, {@code no-store}/{@code no-cache}/{@code private}, {@code Vary} on
   * headers outside the key; with {@code respect_cache_control}, {@code s-maxage}/{@code max-age}
   * replace the route's ttl.
   */
  public long lifetimeMillis(int status, MultiMap headers) {
    if (!spec.statuses().contains(status) || headers.contains(HttpHeaders.SET_COOKIE) || !varyIsKeyed(headers)) {
      return 0;
    }
    CacheControl control = CacheControl.of(headers.getAll(HttpHeaders.CACHE_CONTROL));
    if (control.noStore() || control.noCache() || control.isPrivate()) {
      return 0;
    }
    long seconds = control.sharedLifetimeSeconds();
    if (spec.respectCacheControl() && seconds >= 0) {
      return Math.min(seconds, MAX_LIFETIME_SECONDS) * 1000;
    }
    return spec.ttl().toMillis();
  }

  /** True when the answer varies only on headers that are part of the key. */
  private boolean varyIsKeyed(MultiMap headers) {
    for (String value : headers.getAll(HttpHeaders.VARY)) {
      for (String name : value.split(",")) {
        String header = name.trim().toLowerCase(Locale.ROOT);
        if (!header.isEmpty() && !spec.varyHeaders().contains(header)) {
          return false; // includes "*"
        }
      }
    }
    return true;
  }
}
