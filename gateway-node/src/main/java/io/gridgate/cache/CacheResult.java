package io.gridgate.cache;

import java.util.Locale;

/** What the response cache did for one request, sent as {@code X-Cache-Status} and counted in metrics. */
public enum CacheResult {
  /** Answered from a stored entry. */
  HIT,
  /** Nothing fresh was stored: forwarded, and its answer stored when it may be. */
  MISS,
  /** Not looked up and not stored: the request may not be cached (method, body, credentials, no-store). */
  BYPASS,
  /** The client asked for a fresh answer (no-cache): forwarded, and its answer replaces the entry. */
  REFRESH;

  public static final String HEADER = "X-Cache-Status";

  /** The header value: {@code Hit}, {@code Miss}, {@code Bypass} or {@code Refresh}. */
  public String headerValue() {
    String name = name();
    return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
  }

  /** The metric label: {@code hit}, {@code miss}, {@code bypass} or {@code refresh}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
