package io.gridgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses a route's {@code request_transform} and {@code response_transform}. */
final class TransformParser {
  /** Dot-separated field names, none empty, at most 16 deep. */
  private static final Pattern FIELD_PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+){0,15}");

  RequestTransform request(ConfigNode n) {
    if (n.isMissing()) {
      return RequestTransform.NONE;
    }
    n.allowOnly(Set.of("query", "body", "max_body_size"));
    HeaderOps query = queryOps(n.get("query"));
    JsonFieldOps body = fieldOps(n.get("body"));
    if (query.isEmpty() && body.isEmpty()) {
      n.error("must change the query or the body");
    }
    return new RequestTransform(query, body, maxBodySize(n));
  }

  ResponseTransform response(ConfigNode n) {
    if (n.isMissing()) {
      return ResponseTransform.NONE;
    }
    n.allowOnly(Set.of("body", "max_body_size"));
    JsonFieldOps body = fieldOps(n.get("body"));
    if (body.isEmpty()) {
      n.get("body").error("is required");
    }
    return new ResponseTransform(body, maxBodySize(n));
  }

  /** {@code n.max_body_size}: the most bytes of a body read whole, 1 byte … 64MB, 1MB when absent. */
  static long maxBodySize(ConfigNode n) {
    ConfigNode size = n.get("max_body_size");
    long bytes = size.size(RequestTransform.DEFAULT_MAX_BODY_SIZE);
    if (bytes < 1 || bytes > 64L * 1024 * 1024) {
      size.error("must be between 1 byte and 64MB (was '" + size.raw() + "')");
    }
    return bytes;
  }

  private static HeaderOps queryOps(ConfigNode n) {
    if (n.isMissing()) {
      return HeaderOps.NONE;
    }
    n.allowOnly(Set.of("rename", "remove", "set", "add"));
    Map<String, String> rename = n.get("rename").stringMap();
    rename.forEach((from, to) -> {
      if (to.isEmpty()) {
        n.get("rename").get(from).error("must name a parameter");
      }
    });
    return new HeaderOps(rename, n.get("remove").strings(), n.get("set").stringMap(), n.get("add").stringMap());
  }

  private static JsonFieldOps fieldOps(ConfigNode n) {
    if (n.isMissing()) {
      return JsonFieldOps.NONE;
    }
    n.allowOnly(Set.of("rename", "remove", "set", "add"));
    ConfigNode renames = n.get("rename");
    Map<String, String> rename = renames.stringMap();
    rename.forEach((from, to) -> {
      checkFieldPath(renames.get(from), from);
      checkFieldPath(renames.get(from), to);
    });
    List<String> remove = new ArrayList<>();
    for (ConfigNode item : n.get("remove").items()) {
      String path = item.requiredString();
      if (path != null && checkFieldPath(item, path)) {
        remove.add(path);
      }
    }
    return new JsonFieldOps(rename, remove, fieldValues(n.get("set")), fieldValues(n.get("add")));
  }

  private static Map<String, Object> fieldValues(ConfigNode n) {
    Map<String, Object> values = new LinkedHashMap<>();
    n.entries().forEach((path, value) -> {
      if (checkFieldPath(value, path)) {
        values.put(path, jsonValue(value, value.raw()));
      }
    });
    return values;
  }

  private static boolean checkFieldPath(ConfigNode at, String path) {
    if (!FIELD_PATH.matcher(path).matches()) {
      at.error("must be a field path such as 'name' or 'user.address.city' (was '" + path + "')");
      return false;
    }
    return true;
  }

  /** The YAML value as an immutable JSON-compatible value (maps, lists, strings, numbers, booleans, null). */
  private static Object jsonValue(ConfigNode at, Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), jsonValue(at, v)));
      return Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(jsonValue(at, v)));
      return Collections.unmodifiableList(out);
    }
    at.error("must be a JSON value: a string, number, boolean, null, map or list (was '" + value + "')");
    return null;
  }
}
