package io.gridgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** Headers that describe one connection and must not be forwarded (RFC 9110 7.6.1). */
final class HopByHopHeaders {
  private static final AsciiString[] ALWAYS = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
      HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};
  private static final String PROXY_PREFIX = "proxy-";
  private static final String KEEP_ALIVE = "keep-alive";
  private static final String CLOSE = "close";

  private HopByHopHeaders() {}

  /**
   * The header names a message's Connection header lists, lower case, besides the connection
   * options {@code keep-alive} and {@code close} (hop-by-hop anyway); empty when it names none.
   */
  static Set<String> namedByConnection(MultiMap headers) {
    List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
    if (values.isEmpty() || values.size() == 1 && isConnectionOption(values.get(0), 0, values.get(0).length())) {
      return Set.of(); // the common case, "Connection: keep-alive" or "close", read without splitting
    }
    Set<String> names = new HashSet<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !isConnectionOption(t, 0, t.length())) {
          names.add(t);
        }
      }
    }
    return names;
  }

  /** Whether {@code value[from, to)}, blanks around it ignored, is the option {@code keep-alive} or {@code close}. */
  private static boolean isConnectionOption(CharSequence value, int from, int to) {
    while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
      to--;
    }
    int length = to - from;
    return length == KEEP_ALIVE.length() && AsciiString.regionMatches(value, true, from, KEEP_ALIVE, 0, length)
        || length == CLOSE.length() && AsciiString.regionMatches(value, true, from, CLOSE, 0, length);
  }

  /** True when the message's TE header lists {@code trailers} (the client will read trailers). */
  static boolean acceptsTrailers(MultiMap headers) {
    if (headers.get(HttpHeaderNames.TE) == null) {
      return false;
    }
    for (String value : headers.getAll(HttpHeaderNames.TE)) {
      for (String token : value.split(",")) {
        String coding = token.split(";", 2)[0].trim();
        if (coding.equalsIgnoreCase("trailers")) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean isHopByHop(CharSequence name, Set<String> namedByConnection) {
    if (isAlwaysHopByHop(name)) {
      return true;
    }
    return !namedByConnection.isEmpty() && namedByConnection.contains(name.toString().toLowerCase(Locale.ROOT));
  }

  /** The fixed hop-by-hop names, Proxy-* and HTTP/2 pseudo-headers, compared without allocating. */
  private static boolean isAlwaysHopByHop(CharSequence name) {
    int length = name.length();
    if (length > 0 && name.charAt(0) == ':'
        || length >= PROXY_PREFIX.length() && AsciiString.regionMatches(name, true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length())) {
      return true;
    }
    for (AsciiString hop : ALWAYS) {
      if (hop.length() == length && hop.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes the hop-by-hop headers from {@code headers} (an upstream answer's, taken over as the
   * client's). A decoded map whose Connection header holds only {@code keep-alive} or {@code close}
   * (the common case) is read in one pass, no strings made.
   */
  static void removeFrom(MultiMap headers) {
    if (!(headers instanceof HttpHeaders decoded)) {
      removeNamed(headers, headers.names().iterator(), namedByConnection(headers));
      return;
    }
    List<CharSequence> hops = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = decoded.iteratorCharSequence(); entries.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> entry = entries.next();
      CharSequence name = entry.getKey();
      if (!isAlwaysHopByHop(name)) {
        continue;
      }
      CharSequence value = entry.getValue();
      if (HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name) && !isConnectionOption(value, 0, value.length())) {
        // Connection names other headers: read it whole
        removeNamed(headers, namesOf(decoded.iteratorCharSequence()), namedByConnection(headers));
        return;
      }
      hops = plus(hops, name);
    }
    removeAll(headers, hops);
  }

  /** Removes the always hop-by-hop headers among {@code names} and those {@code named} by Connection. */
  private static void removeNamed(MultiMap headers, Iterator<? extends CharSequence> names, Set<String> named) {
    List<CharSequence> hops = null;
    while (names.hasNext()) {
      CharSequence name = names.next();
      if (isHopByHop(name, named)) {
        hops = plus(hops, name);
      }
    }
    removeAll(headers, hops);
  }

  private static List<CharSequence> plus(List<CharSequence> hops, CharSequence name) {
    List<CharSequence> list = hops == null ? new ArrayList<>(4) : hops;
    list.add(name);
    return list;
  }

  private static void removeAll(MultiMap headers, List<CharSequence> hops) {
    if (hops != null) {
      hops.forEach(headers::remove);
    }
  }

  /** The names of Netty header entries, as decoded (no strings made). */
  private static Iterator<CharSequence> namesOf(Iterator<Map.Entry<CharSequence, CharSequence>> entries) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public CharSequence next() {
        return entries.next().getKey();
      }
    };
  }

  /**
   * Copies {@code from} into {@code to} without hop-by-hop headers. Maps backed by Netty's headers
   * (Vert.x's HTTP/1.x ones) are read entry by entry as decoded: names are not turned into strings
   * and keep their cached hashes.
   */
  static void copyEndToEnd(MultiMap from, MultiMap to) {
    copyEndToEnd(from, to::add);
  }

  /** Hands {@code from}'s end-to-end headers to {@code into} (e.g. an upstream request's {@code addChecked}). */
  static void copyEndToEnd(MultiMap from, BiConsumer<CharSequence, CharSequence> into) {
    copyEndToEnd(from, into, null);
  }

  /** As {@link #copyEndToEnd(MultiMap, BiConsumer)}, leaving out the names {@code left} accepts too (when not null). */
  static void copyEndToEnd(MultiMap from, BiConsumer<CharSequence, CharSequence> into, Predicate<CharSequence> left) {
    Set<String> named = namedByConnection(from);
    if (from instanceof HttpHeaders decoded) {
      for (Iterator<Map.Entry<CharSequence, CharSequence>> entries = decoded.iteratorCharSequence(); entries.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> entry = entries.next();
        if (isCopied(entry.getKey(), named, left)) {
          into.accept(entry.getKey(), entry.getValue());
        }
      }
      return;
    }
    for (var entry : from) {
      if (isCopied(entry.getKey(), named, left)) {
        into.accept(entry.getKey(), entry.getValue());
      }
    }
  }

  private static boolean isCopied(CharSequence name, Set<String> named, Predicate<CharSequence> left) {
    return !isHopByHop(name, named) && (left == null || !left.test(name));
  }
}
