package io.gridgate.cache;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The copy of one upstream answer taken while it streams to the client. It is stored only when the
 * policy allows the answer, its body stays within the route's {@code max_body_size} and ends whole
 * (as long as any declared {@code Content-Length}), and no purge happened since the copy began.
 * A leading copy wakes the misses waiting for it as soon as it is stored or abandoned.
 */
public final class CacheFill {
  private final RouteCache route;
  private final String key;
  private final long epoch;
  private CollapsedMisses.Lead lead;
  private int status;
  private List<Map.Entry<String, String>> headers;
  private long lifetimeMillis;
  private long declaredLength = -1;
  private Buffer body;

  /** {@code lead} is this copy's lead of the key's misses, or null when it leads none. */
  CacheFill(RouteCache route, String key, long epoch, CollapsedMisses.Lead lead) {
    this.route = route;
    this.key = key;
    this.epoch = epoch;
    this.lead = lead;
  }

  /** The answer's head is known: false when it must not be stored (nothing more is copied then). */
  public boolean start(int status, MultiMap responseHeaders) {
    lifetimeMillis = route.policy().lifetimeMillis(status, responseHeaders);
    String length = responseHeaders.get(HttpHeaders.CONTENT_LENGTH);
    try {
      declaredLength = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declaredLength = Long.MAX_VALUE;
    }
    if (lifetimeMillis <= 0 || declaredLength > route.policy().spec().maxBodySize()) {
      settle();
      return false;
    }
    this.status = status;
    this.headers = new ArrayList<>(responseHeaders.size());
    responseHeaders.forEach((name, value) -> headers.add(Map.entry(name, value)));
    this.body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 256);
    return true;
  }

  /** A chunk went to the client; the copy is dropped once the body outgrows the limit. */
  public void append(Buffer chunk) {
    if (body == null) {
      return;
    }
    if (body.length() + chunk.length() > route.policy().spec().maxBodySize()) {
      body = null;
      settle();
    } else {
      body.appendBuffer(chunk);
    }
  }

  /** The upstream body ended whole: stores the copy when it may be. */
  public void complete() {
    if (body != null && (declaredLength < 0 || declaredLength == body.length())) {
      route.store(key, new CachedResponse(route.routeId(), status, headers, body.getBytes(), route.nowNanos(),
          lifetimeMillis * 1_000_000L), epoch);
    }
    body = null;
    settle();
  }

  /** Nothing more will be stored from this copy (or it was): misses waiting for it look the key up again. Idempotent. */
  public void settle() {
    if (lead != null) {
      route.settle(key, lead);
      lead = null;
    }
  }
}
