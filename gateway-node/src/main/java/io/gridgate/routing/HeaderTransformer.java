package io.gridgate.routing;

import io.gridgate.config.HeaderOps;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Map;

/** Applies a route's header operations to a header map: rename, remove, set, then add. */
public final class HeaderTransformer {
  public static final HeaderTransformer NONE = new HeaderTransformer(HeaderOps.NONE);

  private final HeaderOps ops;
  private final boolean empty;

  public HeaderTransformer(HeaderOps ops) {
    this.ops = ops;
    this.empty = ops.isEmpty();
  }

  /** Whether it moves headers' values under other names (a header removed later may then pass on under its new name). */
  public boolean renames() {
    return !ops.rename().isEmpty();
  }

  public void apply(MultiMap headers) {
    if (empty) {
      return;
    }
    for (Map.Entry<String, String> e : ops.rename().entrySet()) {
      List<String> values = headers.getAll(e.getKey());
      if (!values.isEmpty()) {
        headers.remove(e.getKey());
        headers.add(e.getValue(), values);
      }
    }
    for (String name : ops.remove()) {
      headers.remove(name);
    }
    ops.set().forEach(headers::set);
    ops.add().forEach(headers::add);
  }
}
