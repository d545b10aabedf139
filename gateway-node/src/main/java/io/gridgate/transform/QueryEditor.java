package io.gridgate.transform;

import io.gridgate.config.HeaderOps;
import io.gridgate.transform.QueryParameters.Param;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Applies a route's query operations to a raw query string, in the order rename, remove, set,
 * add. Parameters are read by {@link QueryParameters} and matched by their decoded names;
 * parameters no operation touches keep their exact encoding and order, and new names and values
 * are percent-encoded.
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
    List<Param> params = QueryParameters.parse(query);
    for (Map.Entry<String, String> rename : ops.rename().entrySet()) {
      params.replaceAll(p -> p.name().equals(rename.getKey()) ? renamed(p, rename.getValue()) : p);
    }
    params.removeIf(p -> ops.remove().contains(p.name()));
    for (Map.Entry<String, String> set : ops.set().entrySet()) {
      params.removeIf(p -> p.name().equals(set.getKey()));
      params.add(param(set.getKey(), set.getValue()));
    }
    ops.add().forEach((name, value) -> params.add(param(name, value)));
    if (params.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (Param p : params) {
      out.append(out.length() == 0 ? "" : "&").append(p.raw());
    }
    return out.toString();
  }

  private static Param param(String name, String value) {
    return new Param(name, encode(name) + "=" + encode(value));
  }

  private static Param renamed(Param param, String to) {
    int eq = param.raw().indexOf('=');
    return new Param(to, encode(to) + (eq < 0 ? "" : param.raw().substring(eq)));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
