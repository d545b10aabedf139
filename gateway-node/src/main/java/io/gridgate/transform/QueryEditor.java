package io.gridgate.transform;

import io.gridgate.config.HeaderOps;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a route's query operations to a raw query string, in the order rename, remove, set,
 * add. Parameters are matched by their decoded names; parameters no operation touches keep their
 * exact encoding and order, and new names and values are percent-encoded.
 */
public final class QueryEditor {
  private final HeaderOps ops;
  private final boolean empty;

  public QueryEditor(HeaderOps ops) {
    this.ops = ops;
    this.empty = ops.isEmpty();
  }

  /** The query to send upstream for the client's raw {@code query} (null when there is none). */
  public String apply(String query) {
    if (empty) {
      return query;
    }
    List<Param> params = parse(query);
    for (Map.Entry<String, String> rename : ops.rename().entrySet()) {
      params.replaceAll(p -> p.name.equals(rename.getKey()) ? p.renamed(rename.getValue()) : p);
    }
    params.removeIf(p -> ops.remove().contains(p.name));
    for (Map.Entry<String, String> set : ops.set().entrySet()) {
      params.removeIf(p -> p.name.equals(set.getKey()));
      params.add(Param.of(set.getKey(), set.getValue()));
    }
    ops.add().forEach((name, value) -> params.add(Param.of(name, value)));
    if (params.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (Param p : params) {
      out.append(out.length() == 0 ? "" : "&").append(p.raw);
    }
    return out.toString();
  }

  private static List<Param> parse(String query) {
    List<Param> params = new ArrayList<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String raw : query.split("&")) {
      if (!raw.isEmpty()) {
        int eq = raw.indexOf('=');
        params.add(new Param(decode(eq < 0 ? raw : raw.substring(0, eq)), raw));
      }
    }
    return params;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return raw;
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** One parameter: its decoded name and its text as sent. */
  private record Param(String name, String raw) {
    static Param of(String name, String value) {
      return new Param(name, encode(name) + "=" + encode(value));
    }

    Param renamed(String to) {
      int eq = raw.indexOf('=');
      return new Param(to, encode(to) + (eq < 0 ? "" : raw.substring(eq)));
    }
  }
}
