package io.gridgate.cache;

import java.util.List;
import java.util.Locale;

/** The directives of {@code Cache-Control} header values that decide caching. */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, long maxAgeSeconds, long sharedMaxAgeSeconds) {
  private static final CacheControl NONE = new CacheControl(false, false, false, -1, -1);

  /** Parses every value of the header (directive names are case-insensitive; unknown ones are ignored). */
  static CacheControl of(List<String> values) {
    if (values.isEmpty()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    long maxAge = -1;
    long sharedMaxAge = -1;
    for (String value : values) {
      for (String directive : value.split(",")) {
        String d = directive.trim().toLowerCase(Locale.ROOT);
        int eq = d.indexOf('=');
        String name = eq < 0 ? d : d.substring(0, eq).trim();
        String argument = eq < 0 ? null : d.substring(eq + 1).trim();
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "max-age" -> maxAge = seconds(argument);
          case "s-maxage" -> sharedMaxAge = seconds(argument);
          default -> { }
        }
      }
    }
    return new CacheControl(noStore, noCache, isPrivate, maxAge, sharedMaxAge);
  }

  /** Seconds a shared cache may keep the answer: {@code s-maxage}, else {@code max-age}; -1 when neither is given. */
  long sharedLifetimeSeconds() {
    return sharedMaxAgeSeconds >= 0 ? sharedMaxAgeSeconds : maxAgeSeconds;
  }

  /** A delta-seconds argument; a malformed one counts as 0 (already stale), as RFC 9111 asks. */
  private static long seconds(String argument) {
    if (argument == null) {
      return 0;
    }
    String digits = argument.startsWith("\"") && argument.endsWith("\"") && argument.length() > 1
        ? argument.substring(1, argument.length() - 1) : argument;
    try {
      return Math.max(0, Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return digits.matches("\\d+") ? Long.MAX_VALUE : 0;
    }
  }
}
