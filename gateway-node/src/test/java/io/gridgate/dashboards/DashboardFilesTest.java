package io.gridgate.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gridgate.dashboards.MonitoringFiles.Query;
import io.gridgate.dashboards.MonitoringFiles.Source;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under grafana/ are well formed: dashboards Grafana can load (the provisioned
 * datasource on every panel, an expression on every target, unique panel ids, grid positions,
 * every variable used), alert rules that promtool accepts and whose unit tests pass, a valid
 * Prometheus config. Whether their metrics exist is DashboardMetricsTest's job; here a scrape
 * without a metric a panel uses shows that check fails.
 */
class DashboardFilesTest {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");
  private static final Path OVERVIEW = MonitoringFiles.DASHBOARDS.resolve("gridgate-cluster-overview.json");
  private static final Path DRILL_DOWN = MonitoringFiles.DASHBOARDS.resolve("gridgate-route-drilldown.json");
  private static final Path OPERATIONS = Path.of("../docs/operations.md");

  @Test
  @SuppressWarnings("unchecked")
  void everyPanelUsesTheProvisionedDatasourceAndHasAnExpressionAPlaceAndItsOwnId() throws Exception {
    Map<String, Object> provisioning = new Yaml().load(Files.readString(MonitoringFiles.DATASOURCE));
    String uid = (String) ((List<Map<String, Object>>) provisioning.get("datasources")).get(0).get("uid");
    assertEquals(List.of(OVERVIEW, DRILL_DOWN), MonitoringFiles.dashboardFiles());
    for (Path file : MonitoringFiles.dashboardFiles()) {
      JsonObject dashboard = MonitoringFiles.read(file);
      assertEquals(file.getFileName().toString().replace(".json", ""), dashboard.getString("uid"), file + " uid");
      assertTrue(dashboard.getInteger("schemaVersion") >= 36, file + " schemaVersion");
      Set<Integer> ids = new HashSet<>();
      for (JsonObject panel : MonitoringFiles.panels(dashboard)) {
        String where = file.getFileName() + " panel '" + panel.getString("title") + "'";
        assertTrue(ids.add(panel.getInteger("id")), where + ": duplicate id " + panel.getInteger("id"));
        JsonObject grid = panel.getJsonObject("gridPos");
        assertNotNull(grid, where + ": gridPos");
        for (String field : List.of("h", "w", "x", "y")) {
          assertNotNull(grid.getInteger(field), where + ": gridPos." + field);
        }
        assertTrue(grid.getInteger("x") + grid.getInteger("w") <= 24, where + ": wider than the grid");
        if (!"row".equals(panel.getString("type"))) {
          assertEquals(uid, panel.getJsonObject("datasource").getString("uid"), where + ": datasource");
          assertFalse(panel.getJsonArray("targets").isEmpty(), where + ": no targets");
          assertFalse(panel.getString("description", "").isBlank(), where + ": a description says how to read it");
          for (Object target : panel.getJsonArray("targets")) {
            JsonObject t = (JsonObject) target;
            assertFalse(t.getString("expr", "").isBlank(), where + " target " + t.getString("refId") + ": expr");
            assertEquals(uid, t.getJsonObject("datasource").getString("uid"), where + ": target datasource");
          }
        }
      }
      for (JsonObject variable : MonitoringFiles.variables(dashboard)) {
        assertEquals(uid, variable.getJsonObject("datasource").getString("uid"), file + " $" + variable.getString("name"));
      }
    }
  }

  @Test
  void everyVariableIsUsedAndEveryUsedVariableIsDefined() {
    for (Path file : MonitoringFiles.dashboardFiles()) {
      JsonObject dashboard = MonitoringFiles.read(file);
      Set<String> defined = new HashSet<>();
      MonitoringFiles.variables(dashboard).forEach(v -> defined.add(v.getString("name")));
      Set<String> used = new HashSet<>();
      for (Query query : MonitoringFiles.panelQueries(file)) {
        Matcher matcher = VARIABLE.matcher(query.expr());
        while (matcher.find()) {
          used.add(matcher.group(1));
        }
      }
      used.removeIf(name -> name.startsWith("__"));
      assertEquals(defined, used, file + ": variables defined vs used by panels");
    }
    assertEquals(Set.of("node", "route"), names(OVERVIEW));
    assertEquals(Set.of("node", "route", "upstream"), names(DRILL_DOWN));
  }

  @Test
  void aDashboardReferringToAMetricOrLabelTheNodesDoNotServeFailsTheCheck(@TempDir Path dir) throws Exception {
    Scrape scrape = new Scrape().add("""
        # TYPE gridgate_requests_total counter
        gridgate_requests_total{member="m1",method="GET",route="orders",status_class="2xx"} 3.0
        gridgate_requests_total{member="m1",method="GET",route="orders",status_class="5xx"} 1.0
        gridgate_config_applied_version{member="m1"} 2.0
        """);
    Path dashboard = dir.resolve("broken.json");
    Files.writeString(dashboard, new JsonObject()
        .put("templating", new JsonObject().put("list", new JsonArray()
            .add(new JsonObject().put("name", "node").put("type", "query")
                .put("query", new JsonObject().put("query", "label_values(gridgate_config_applied_version, member)")))
            .add(new JsonObject().put("name", "route").put("type", "query")
                .put("query", "label_values(gridgate_config_applied_version, route)"))))
        .put("panels", new JsonArray()
            .add(panel("fine", "sum by (route) (rate(gridgate_requests_total{member=~\"$node\", status_class=\"5xx\"}[5m]))",
                "max(gridgate_config_applied_version) by (instance) - min(up)"))
            .add(new JsonObject().put("type", "row").put("title", "row").put("panels", new JsonArray()
                .add(panel("broken", "sum(rate(gridgate_request_total[5m]))",
                    "sum by (upstream) (rate(gridgate_requests_total[5m]))",
                    "gridgate_requests_total{status=\"500\"}",
                    "gridgate_requests_total{status_class=\"5XX\"}",
                    "sum(rates(gridgate_requests_total[5m]))")))))
        .encodePrettily());
    List<Query> queries = new ArrayList<>(MonitoringFiles.panelQueries(dashboard));
    queries.addAll(MonitoringFiles.variableQueries(dashboard));

    assertEquals(List.of(
        "broken.json panel 'broken' target 0: metric gridgate_request_total is not in the scrape",
        "broken.json panel 'broken' target 1: by (upstream) but [gridgate_requests_total] have no label upstream",
        "broken.json panel 'broken' target 2: gridgate_requests_total has no label status (it has [member, method, route, status_class])",
        "broken.json panel 'broken' target 3: no series of gridgate_requests_total has status_class=\"5XX\" (values seen: [2xx, 5xx])",
        "broken.json panel 'broken' target 4: unknown function 'rates' in: sum(rates(gridgate_requests_total[5m]))",
        "broken.json variable $route: label_values (route) but [gridgate_config_applied_version] have no label route"),
        MetricsCheck.problems(queries, scrape));
  }

  private static JsonObject panel(String title, String... exprs) {
    JsonArray targets = new JsonArray();
    for (int i = 0; i < exprs.length; i++) {
      targets.add(new JsonObject().put("refId", Integer.toString(i)).put("expr", exprs[i]));
    }
    return new JsonObject().put("title", title).put("type", "timeseries").put("targets", targets);
  }

  @Test
  void theQueriesOfBothDashboardsAndTheAlertsAreAllFound() {
    List<Query> queries = MonitoringFiles.all();
    assertEquals(11, queries.stream().filter(q -> q.source() == Source.ALERT).count());
    assertEquals(5, queries.stream().filter(q -> q.source() == Source.VARIABLE).count());
    assertTrue(queries.stream().filter(q -> q.source() == Source.PANEL).count() >= 40, "panel targets");
    List<String> unreadable = new ArrayList<>();
    for (Query query : queries) {
      try {
        PromQl.references(query.expr());
      } catch (IllegalArgumentException e) {
        unreadable.add(query.where() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), unreadable);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasASeveritySummaryDescriptionAndARunbookSectionThatExists() throws Exception {
    Set<String> anchors = new HashSet<>();
    for (String line : Files.readAllLines(OPERATIONS)) {
      if (line.startsWith("#")) {
        anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
      }
    }
    for (Map<String, Object> rule : MonitoringFiles.alertRules(MonitoringFiles.ALERTS)) {
      String alert = (String) rule.get("alert");
      Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
      Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
      assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), alert + " severity");
      assertNotNull(rule.get("for"), alert + " for");
      assertNotNull(annotations.get("summary"), alert + " summary");
      assertNotNull(annotations.get("description"), alert + " description");
      String runbook = (String) annotations.get("runbook");
      assertEquals("docs/operations.md#" + alert.toLowerCase(Locale.ROOT), runbook, alert + " runbook");
      assertTrue(anchors.contains(alert.toLowerCase(Locale.ROOT)), alert + ": no section " + runbook);
    }
  }

  @Test
  void promtoolAcceptsTheRulesAndTheConfigAndTheRulesPassTheirUnitTests() throws Exception {
    Path promtool = Executables.find("promtool").orElse(null);
    assumeTrue(promtool != null, "promtool is not installed here (apt-get install prometheus); CI installs it");
    assertSucceeds(Executables.run(promtool, "check", "rules", MonitoringFiles.ALERTS.toString()));
    assertSucceeds(Executables.run(promtool, "check", "config", MonitoringFiles.PROMETHEUS_CONFIG.toString()));
    assertSucceeds(Executables.run(promtool, "test", "rules", MonitoringFiles.ALERT_TESTS.toString()));
  }

  private static void assertSucceeds(Executables.Run run) {
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("SUCCESS"), run.output());
  }

  private static Set<String> names(Path file) {
    Set<String> names = new HashSet<>();
    MonitoringFiles.variables(MonitoringFiles.read(file)).forEach(v -> names.add(v.getString("name")));
    return names;
  }
}
