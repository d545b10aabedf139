package io.gridgate.dashboards;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series names, label names and label values of Prometheus text exposition (what a node's
 * {@code /metrics} answers), merged over any number of scrapes.
 */
public final class Scrape {
  private final Map<String, Map<String, Set<String>>> series = new TreeMap<>();

  /** Adds every sample line of {@code text}; comments and blank lines are skipped. */
  public Scrape add(String text) {
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        sample(line.trim());
      }
    }
    return this;
  }

  /** Whether any sample of {@code metric} was seen. */
  public boolean has(String metric) {
    return series.containsKey(metric);
  }

  /** Label names seen on {@code metric} and each one's values; empty when the metric was not seen. */
  public Map<String, Set<String>> labels(String metric) {
    return series.getOrDefault(metric, Map.of());
  }

  /** Every series name seen. */
  public Set<String> metrics() {
    return series.keySet();
  }

  private void sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (brace < 0 || (space >= 0 && space < brace)) {
      series.computeIfAbsent(line.substring(0, space < 0 ? line.length() : space), k -> new TreeMap<>());
      return;
    }
    Map<String, Set<String>> labels = series.computeIfAbsent(line.substring(0, brace), k -> new TreeMap<>());
    int i = brace + 1;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String name = line.substring(i, equals).trim();
      StringBuilder value = new StringBuilder();
      int at = equals + 2;
      for (; line.charAt(at) != '"'; at++) {
        if (line.charAt(at) == '\\') {
          at++;
          char escaped = line.charAt(at);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(line.charAt(at));
        }
      }
      labels.computeIfAbsent(name, k -> new TreeSet<>()).add(value.toString());
      i = at + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
  }
}
