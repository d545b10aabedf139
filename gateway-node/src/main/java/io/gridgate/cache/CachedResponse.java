package io.gridgate.cache;

import java.util.List;
import java.util.Map;

/**
 * One stored answer: the route it belongs to, status, end-to-end headers (after the route's
 * response header operations), body, when it was stored and how long it stays fresh.
 */
public record CachedResponse(String routeId, int status, List<Map.Entry<String, String>> headers, byte[] body,
                             long storedAtNanos, long lifetimeNanos) {
  /** Bookkeeping per entry on top of its bytes (key, map node, record). */
  private static final int OVERHEAD = 200;

  public CachedResponse {
    headers = List.copyOf(headers);
  }

  /** Bytes the entry takes in the store's budget: body, header text, key and a fixed overhead. */
  long size(String key) {
    long size = OVERHEAD + body.length + key.length();
    for (Map.Entry<String, String> header : headers) {
      size += header.getKey().length() + header.getValue().length();
    }
    return size;
  }

  boolean isFresh(long nowNanos) {
    return nowNanos - storedAtNanos < lifetimeNanos;
  }

  /** Whole seconds since the entry was stored (the {@code Age} header). */
  public long ageSeconds(long nowNanos) {
    return (nowNanos - storedAtNanos) / 1_000_000_000L;
  }

  /** The stored {@code ETag}, or null. */
  public String etag() {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase("etag")) {
        return header.getValue();
      }
    }
    return null;
  }
}
