package io.gridgate.node;

import io.gridgate.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What changes between two configuration versions: routes by id and upstreams by name. */
public final class ConfigDiff {
  private ConfigDiff() {}

  /**
   * {@code {routes: {added, removed, changed}, upstreams: {added, removed, changed}}}, names sorted;
   * used by the admin API's diff of two stored versions and by {@code push --diff}.
   */
  public static JsonObject between(GatewayConfig from, GatewayConfig to) {
    return new JsonObject()
        .put("routes", compare(
            from.routes().stream().collect(Collectors.toMap(r -> r.id(), Function.identity())),
            to.routes().stream().collect(Collectors.toMap(r -> r.id(), Function.identity()))))
        .put("upstreams", compare(from.upstreams(), to.upstreams()));
  }

  private static <T> JsonObject compare(Map<String, T> from, Map<String, T> to) {
    JsonArray added = new JsonArray();
    JsonArray removed = new JsonArray();
    JsonArray changed = new JsonArray();
    TreeSet<String> names = new TreeSet<>(from.keySet());
    names.addAll(to.keySet());
    for (String name : names) {
      if (!from.containsKey(name)) {
        added.add(name);
      } else if (!to.containsKey(name)) {
        removed.add(name);
      } else if (!from.get(name).equals(to.get(name))) {
        changed.add(name);
      }
    }
    return new JsonObject().put("added", added).put("removed", removed).put("changed", changed);
  }
}
