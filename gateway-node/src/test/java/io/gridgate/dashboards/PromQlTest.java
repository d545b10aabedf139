package io.gridgate.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.dashboards.PromQl.Grouping;
import io.gridgate.dashboards.PromQl.Matcher;
import io.gridgate.dashboards.PromQl.References;
import io.gridgate.dashboards.PromQl.Selector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL tokenizer finds the metrics, matchers and grouping labels of representative expressions. */
class PromQlTest {

  @Test
  void aHistogramQuantileOverARateGroupedByLeAndRoute() {
    References refs = PromQl.references("histogram_quantile(0.99, sum by (le, route) "
        + "(rate(gridgate_request_duration_seconds_bucket{member=~\"$node\", route=~\"${route}\"}[$__rate_interval])))");
    assertEquals(List.of(new Selector("gridgate_request_duration_seconds_bucket",
            List.of(new Matcher("member", "=~", "$node"), new Matcher("route", "=~", "${route}")))),
        refs.selectors());
    assertEquals(List.of(new Grouping("by", Set.of("le", "route"), Set.of("gridgate_request_duration_seconds_bucket"), true)),
        refs.groupings());
  }

  @Test
  void byAfterTheAggregatedExpressionAppliesToIt() {
    References refs = PromQl.references("count(gridgate_circuit_breaker_state == 1) by (upstream) + up");
    assertEquals(List.of("gridgate_circuit_breaker_state", "up"), metrics(refs));
    assertEquals(List.of(new Grouping("by", Set.of("upstream"), Set.of("gridgate_circuit_breaker_state"), true)),
        refs.groupings());
  }

  @Test
  void aRatioOfTwoAggregationsKeepsEachGroupingToItsOwnSide() {
    References refs = PromQl.references("""
        sum without (method) (rate(a_total{status_class="5xx"}[5m]))
          / ignoring (status_class) sum by (route, status_class) (rate(b_total[5m] offset 1h)) > bool 0.05
        """);
    assertEquals(List.of("a_total", "b_total"), metrics(refs));
    assertEquals(List.of(new Matcher("status_class", "=", "5xx")), refs.selectors().get(0).matchers());
    assertEquals(List.of(
        new Grouping("without", Set.of("method"), Set.of("a_total"), true),
        new Grouping("by", Set.of("route", "status_class"), Set.of("b_total"), true),
        new Grouping("ignoring", Set.of("status_class"), Set.of("a_total", "b_total"), true)), refs.groupings());
  }

  @Test
  void logicalOperatorsKeywordsAndNumbersAreNotMetrics() {
    References refs = PromQl.references("gridgate_cluster_members == 1 and gridgate_cluster_expected_members > 1e0 "
        + "or vector(0) UNLESS max_over_time(x[1m:10s]) > Inf");
    assertEquals(List.of("gridgate_cluster_members", "gridgate_cluster_expected_members", "x"), metrics(refs));
  }

  @Test
  void groupLeftLabelsNeedToExistOnOneSideOnly() {
    References refs = PromQl.references("a * on (member) group_left (version) b");
    assertEquals(List.of(
        new Grouping("on", Set.of("member"), Set.of("a", "b"), true),
        new Grouping("group_left", Set.of("version"), Set.of("a", "b"), false)), refs.groupings());
  }

  @Test
  void grafanaLabelValuesNamesAMetricAndALabel() {
    References refs = PromQl.references("label_values(gridgate_requests_total{member=~\"$node\"}, route)");
    assertEquals(List.of("gridgate_requests_total"), metrics(refs));
    assertEquals(List.of(new Grouping("label_values", Set.of("route"), Set.of("gridgate_requests_total"), true)),
        refs.groupings());
  }

  @Test
  void whatItDoesNotUnderstandIsAnError() {
    assertMessage("unknown function 'rates'", "sum(rates(x[5m]))");
    assertMessage("a selector without a metric name", "{__name__=~\"gridgate_.*\"}");
    assertMessage("unbalanced '('", "sum(rate(x[5m])");
    assertMessage("unbalanced ')'", "rate(x[5m]))");
    assertMessage("unterminated string", "x{route=\"a}");
    assertMessage("label_values needs a metric and a label", "label_values(route)");
    assertMessage("'by' outside an aggregation", "rate(x[5m]) by (route)");
  }

  private static void assertMessage(String expected, String expr) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromQl.references(expr), expr);
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  private static List<String> metrics(References refs) {
    return refs.selectors().stream().map(Selector::metric).toList();
  }
}
