package io.gridgate.config;

import java.util.List;
import java.util.Map;

/** Header changes, applied in the order rename, remove, set, add. */
public record HeaderOps(Map<String, String> rename, List<String> remove, Map<String, String> set, Map<String, String> add) {
  public static final HeaderOps NONE = new HeaderOps(Map.of(), List.of(), Map.of(), Map.of());

  public HeaderOps {
    rename = Map.copyOf(rename);
    remove = List.copyOf(remove);
    set = Map.copyOf(set);
    add = Map.copyOf(add);
  }

  public boolean isEmpty() {
    return rename.isEmpty() && remove.isEmpty() && set.isEmpty() && add.isEmpty();
  }
}
