package io.gridgate.dashboards;

import io.gridgate.dashboards.MonitoringFiles.Query;
import io.gridgate.dashboards.PromQl.Grouping;
import io.gridgate.dashboards.PromQl.Matcher;
import io.gridgate.dashboards.PromQl.References;
import io.gridgate.dashboards.PromQl.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks queries against a scrape: every metric a query selects is in it, every label it matches
 * or groups by is on that metric, and every literal value it matches on ({@code ="5xx"},
 * {@code =~"failed_open|failed_closed"}) was seen. Values holding a Grafana variable are not checked.
 */
public final class MetricsCheck {
  /** Labels Prometheus itself adds to every series it scrapes. */
  static final Set<String> TARGET_LABELS = Set.of("job", "instance");
  /** Series Prometheus itself makes for every target. */
  static final Set<String> TARGET_SERIES = Set.of("up");

  private MetricsCheck() {}

  /** One line per problem, naming the query's place; empty when every query fits the scrape. */
  public static List<String> problems(List<Query> queries, Scrape scrape) {
    List<String> problems = new ArrayList<>();
    for (Query query : queries) {
      References refs;
      try {
        refs = PromQl.references(query.expr());
      } catch (IllegalArgumentException e) {
        problems.add(query.where() + ": " + e.getMessage());
        continue;
      }
      for (Selector selector : refs.selectors()) {
        check(query.where(), selector, scrape, problems);
      }
      for (Grouping grouping : refs.groupings()) {
        check(query.where(), grouping, scrape, problems);
      }
    }
    return problems;
  }

  private static void check(String where, Selector selector, Scrape scrape, List<String> problems) {
    String metric = selector.metric();
    if (TARGET_SERIES.contains(metric)) {
      return;
    }
    if (!scrape.has(metric)) {
      problems.add(where + ": metric " + metric + " is not in the scrape");
      return;
    }
    for (Matcher matcher : selector.matchers()) {
      if (TARGET_LABELS.contains(matcher.label())) {
        continue;
      }
      Set<String> values = scrape.labels(metric).get(matcher.label());
      if (values == null) {
        problems.add(where + ": " + metric + " has no label " + matcher.label() + " (it has " + scrape.labels(metric).keySet() + ")");
      } else if (!matcher.value().contains("$") && !matches(matcher, values)) {
        problems.add(where + ": no series of " + metric + " has " + matcher.label() + matcher.op() + "\""
            + matcher.value() + "\" (values seen: " + values + ")");
      }
    }
  }

  private static boolean matches(Matcher matcher, Set<String> values) {
    return switch (matcher.op()) {
      case "=" -> values.contains(matcher.value());
      case "=~" -> values.stream().anyMatch(Pattern.compile(matcher.value()).asMatchPredicate());
      default -> true;
    };
  }

  private static void check(String where, Grouping grouping, Scrape scrape, List<String> problems) {
    for (String label : grouping.labels()) {
      if (TARGET_LABELS.contains(label)) {
        continue;
      }
      List<String> without = grouping.metrics().stream()
          .filter(m -> scrape.has(m) && !scrape.labels(m).containsKey(label)).sorted().toList();
      long present = grouping.metrics().stream().filter(scrape::has).count();
      if (grouping.onEvery() ? !without.isEmpty() : present > 0 && without.size() == present) {
        problems.add(where + ": " + grouping.keyword() + " (" + label + ") but " + without + " have no label " + label);
      }
    }
  }
}
