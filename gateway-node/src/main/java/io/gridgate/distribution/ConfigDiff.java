package io.gridgate.distribution;

import io.gridgate.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changes between two configuration versions: routes by id, upstreams, JWT issuers, OAuth2
 * servers and consumers by name, and whether the global IP rules changed. Global rate limits show as changes of
 * the routes they apply to.
 */
public final class ConfigDiff {
  private ConfigDiff() {}

  /** The named sections a diff reports, each as {@code {added, removed, changed}}. */
  public static final List<String> SECTIONS = List.of("routes", "upstreams", "jwt_issuers", "oauth2_servers", "consumers");

  /**
   * {@code {routes|upstreams|jwt_issuers|oauth2_servers|consumers: {added, removed, changed}, ip_rules_changed}},
   * names sorted; used by the admin API's diff of two stored versions and by {@code push --diff}.
   */
  public static JsonObject between(GatewayConfig from, GatewayConfig to) {
    return new JsonObject()
        .put("routes", compare(
            from.routes().stream().collect(Collectors.toMap(r -> r.id(), Function.identity())),
            to.routes().stream().collect(Collectors.toMap(r -> r.id(), Function.identity()))))
        .put("upstreams", compare(from.upstreams(), to.upstreams()))
        .put("jwt_issuers", compare(from.jwtIssuers(), to.jwtIssuers()))
        .put("oauth2_servers", compare(from.oauth2Servers(), to.oauth2Servers()))
        .put("consumers", compare(from.consumers(), to.consumers()))
        .put("ip_rules_changed", !Objects.equals(from.ipRules(), to.ipRules()));
  }

  /** True when a diff from {@link #between} names no change. */
  public static boolean isEmpty(JsonObject diff) {
    return !diff.getBoolean("ip_rules_changed") && SECTIONS.stream().map(diff::getJsonObject).allMatch(changes ->
        changes.getJsonArray("added").isEmpty() && changes.getJsonArray("removed").isEmpty()
            && changes.getJsonArray("changed").isEmpty());
  }

  /**
   * A diff from {@link #between} on one line, each section with its names worded by the caller, e.g.
   * {@code routes only in the file [beta], changed [hello]; ip_rules changed}; empty when nothing changed.
   */
  public static String describe(JsonObject diff, String added, String removed) {
    List<String> parts = new ArrayList<>();
    for (String section : SECTIONS) {
      JsonObject changes = diff.getJsonObject(section);
      List<String> words = new ArrayList<>();
      for (String[] kind : List.of(new String[] {"added", added}, new String[] {"removed", removed},
          new String[] {"changed", "changed"})) {
        JsonArray names = changes.getJsonArray(kind[0]);
        if (!names.isEmpty()) {
          words.add(kind[1] + " " + names.getList());
        }
      }
      if (!words.isEmpty()) {
        parts.add(section + " " + String.join(", ", words));
      }
    }
    if (diff.getBoolean("ip_rules_changed")) {
      parts.add("ip_rules changed");
    }
    return String.join("; ", parts);
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
