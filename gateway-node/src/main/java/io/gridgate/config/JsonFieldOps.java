package io.gridgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to the fields of a JSON object body, named by dotted paths ({@code user.address.city}),
 * applied in the order rename, remove, set, add; {@code set} and {@code add} values are JSON values
 * (strings, numbers, booleans, null, objects, arrays) and {@code add} only fills absent fields.
 */
public record JsonFieldOps(Map<String, String> rename, List<String> remove, Map<String, Object> set,
                           Map<String, Object> add) {
  public static final JsonFieldOps NONE = new JsonFieldOps(Map.of(), List.of(), Map.of(), Map.of());

  public JsonFieldOps {
    rename = Map.copyOf(rename);
    remove = List.copyOf(remove);
    set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    add = Collections.unmodifiableMap(new LinkedHashMap<>(add));
  }

  public boolean isEmpty() {
    return rename.isEmpty() && remove.isEmpty() && set.isEmpty() && add.isEmpty();
  }
}
