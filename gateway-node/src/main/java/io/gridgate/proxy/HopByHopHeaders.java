package io.gridgate.proxy;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** Headers that describe one connection and must not be forwarded (RFC 9110 7.6.1). */
final class HopByHopHeaders {
  private static final String[] ALWAYS = {
      "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"};

  private HopByHopHeaders() {}

  /** The header names a message's Connection header lists, lower case; empty when it names none. */
  static Set<String> namedByConnection(MultiMap headers) {
    String connection = headers.get("connection");
    if (connection == null) {
      return Set.of();
    }
    Set<String> names = new java.util.HashSet<>();
    for (String value : headers.getAll("connection")) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }

  /** True when the message's TE header lists {@code trailers} (the client will read trailers). */
  static boolean acceptsTrailers(MultiMap headers) {
    for (String value : headers.getAll("te")) {
      for (String token : value.split(",")) {
        String coding = token.split(";", 2)[0].trim();
        if (coding.equalsIgnoreCase("trailers")) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isHopByHop(String name, Set<String> namedByConnection) {
    if (isAlwaysHopByHop(name)) {
      return true;
    }
    return !namedByConnection.isEmpty() && namedByConnection.contains(name.toLowerCase(Locale.ROOT));
  }

  /** The fixed hop-by-hop names, Proxy-* and HTTP/2 pseudo-headers, compared without allocating. */
  private static boolean isAlwaysHopByHop(String name) {
    if (name.startsWith(":") || name.regionMatches(true, 0, "proxy-", 0, 6)) {
      return true;
    }
    for (String hop : ALWAYS) {
      if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Copies {@code from} into {@code to} without hop-by-hop headers. */
  static void copyEndToEnd(MultiMap from, MultiMap to) {
    Set<String> named = namedByConnection(from);
    for (var entry : from) {
      if (!isHopByHop(entry.getKey(), named)) {
        to.add(entry.getKey(), entry.getValue());
      }
    }
  }
}
