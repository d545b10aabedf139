package io.gridgate.dashboards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * GridGate's monitoring files under {@code grafana/} and the PromQL they hold: every panel target
 * and templating variable of the dashboards and every alert rule. Surefire runs in
 * {@code gateway-node/}, hence {@code ../grafana}.
 */
public final class MonitoringFiles {
  public static final Path ROOT = Path.of("../grafana");
  public static final Path DASHBOARDS = ROOT.resolve("dashboards");
  public static final Path PROMETHEUS_CONFIG = ROOT.resolve("prometheus/prometheus.yml");
  public static final Path ALERTS = ROOT.resolve("prometheus/alerts.yml");
  public static final Path ALERT_TESTS = ROOT.resolve("prometheus/alerts-test.yml");
  public static final Path DATASOURCE = ROOT.resolve("provisioning/datasources/prometheus.yaml");

  /** One PromQL expression and where it comes from (file, panel or rule), for messages. */
  public record Query(String where, String expr, Source source) {}

  /** What kind of place a query comes from. */
  public enum Source { PANEL, VARIABLE, ALERT }

  private MonitoringFiles() {}

  /** The dashboard files, sorted by name. */
  public static List<Path> dashboardFiles() {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject read(Path dashboard) {
    try {
      return new JsonObject(Files.readString(dashboard));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel of a dashboard, those nested in rows included, rows themselves included. */
  public static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> panels = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels", new JsonArray())) {
      panels.add((JsonObject) panel);
      for (Object nested : ((JsonObject) panel).getJsonArray("panels", new JsonArray())) {
        panels.add((JsonObject) nested);
      }
    }
    return panels;
  }

  /** The templating variables of a dashboard. */
  public static List<JsonObject> variables(JsonObject dashboard) {
    return dashboard.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray())
        .stream().map(JsonObject.class::cast).toList();
  }

  /** A query variable's query: a string, or an object holding it under {@code query}. */
  public static String variableQuery(JsonObject variable) {
    Object query = variable.getValue("query");
    return query instanceof JsonObject object ? object.getString("query") : (String) query;
  }

  /** Every panel target's expression of one dashboard. */
  public static List<Query> panelQueries(Path file) {
    List<Query> queries = new ArrayList<>();
    for (JsonObject panel : panels(read(file))) {
      for (Object target : panel.getJsonArray("targets", new JsonArray())) {
        JsonObject t = (JsonObject) target;
        queries.add(new Query(file.getFileName() + " panel '" + panel.getString("title") + "' target "
            + t.getString("refId"), t.getString("expr"), Source.PANEL));
      }
    }
    return queries;
  }

  /** Every query variable's query of one dashboard. */
  public static List<Query> variableQueries(Path file) {
    return variables(read(file)).stream().filter(v -> "query".equals(v.getString("type")))
        .map(v -> new Query(file.getFileName() + " variable $" + v.getString("name"), variableQuery(v), Source.VARIABLE))
        .toList();
  }

  /** Every rule's expression of an alert rules file. */
  public static List<Query> alertQueries(Path rules) {
    List<Query> queries = new ArrayList<>();
    for (Map<String, Object> rule : alertRules(rules)) {
      queries.add(new Query(rules.getFileName() + " alert " + rule.get("alert"), (String) rule.get("expr"), Source.ALERT));
    }
    return queries;
  }

  /** The rules of every group of an alert rules file. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> alertRules(Path rules) {
    try {
      Map<String, Object> document = new Yaml().load(Files.readString(rules));
      List<Map<String, Object>> all = new ArrayList<>();
      for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
        all.addAll((List<Map<String, Object>>) group.get("rules"));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every query of every dashboard and of the alert rules. */
  public static List<Query> all() {
    List<Query> queries = new ArrayList<>();
    for (Path file : dashboardFiles()) {
      queries.addAll(panelQueries(file));
      queries.addAll(variableQueries(file));
    }
    queries.addAll(alertQueries(ALERTS));
    return queries;
  }
}
