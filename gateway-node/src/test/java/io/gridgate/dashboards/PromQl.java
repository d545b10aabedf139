package io.gridgate.dashboards;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names, label matchers and grouping labels a PromQL expression (or a Grafana
 * {@code label_values(metric, label)} query) refers to. A small, strict tokenizer for the PromQL
 * the dashboards and alerts use, not a full parser: an unknown function, a selector without a
 * metric name or unbalanced brackets are errors rather than guesses.
 */
public final class PromQl {
  /** A label matcher of a selector: {@code label op "value"}. */
  public record Matcher(String label, String op, String value) {}

  /** One vector selector: a metric name and its label matchers. */
  public record Selector(String metric, List<Matcher> matchers) {}

  /**
   * Labels named by {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left},
   * {@code group_right} or {@code label_values}, and the metrics of the expression they apply to.
   * {@code onEvery}: each label must exist on every one of those metrics (else on at least one).
   */
  public record Grouping(String keyword, Set<String> labels, Set<String> metrics, boolean onEvery) {}

  /** Everything one expression refers to. */
  public record References(List<Selector> selectors, List<Grouping> groupings) {}

  static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
      "bottomk", "quantile", "count_values", "group");
  static final Set<String> FUNCTIONS = Set.of("abs", "absent", "absent_over_time", "ceil", "changes", "clamp",
      "clamp_max", "clamp_min", "day_of_month", "day_of_week", "days_in_month", "delta", "deriv", "exp", "floor",
      "histogram_quantile", "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "ln",
      "log2", "log10", "minute", "month", "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort",
      "sort_desc", "sqrt", "time", "timestamp", "vector", "year", "avg_over_time", "min_over_time", "max_over_time",
      "sum_over_time", "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time",
      "last_over_time", "present_over_time");
  private static final Set<String> GROUPING_KEYWORDS = Set.of("by", "without");
  private static final Set<String> MATCHING_KEYWORDS = Set.of("on", "ignoring", "group_left", "group_right");
  private static final Set<String> OTHER_KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "inf", "nan");
  /** Keywords and aggregation operators are case-insensitive in PromQL; function names are not. */
  private static final Set<String> KEYWORDS_AND_AGGREGATIONS = union(AGGREGATIONS, GROUPING_KEYWORDS, MATCHING_KEYWORDS,
      OTHER_KEYWORDS);
  private static final String LABEL_VALUES = "label_values";

  private enum Kind { IDENT, STRING, NUMBER, RANGE, VARIABLE, PUNCT }

  private record Token(Kind kind, String text) {
    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }
  }

  /** A parenthesised group: the metrics inside it and what applies to them when it closes. */
  private static final class Frame {
    final Set<String> metrics = new LinkedHashSet<>();
    final List<Grouping> pending = new ArrayList<>();
    String aggregation;
    Set<String> aggregationLabels;
    String aggregationKeyword;
    boolean labelValues;
    boolean afterComma;
    String labelValuesLabel;
  }

  private final String expr;
  private final List<Token> tokens;
  private int pos;
  private final List<Selector> selectors = new ArrayList<>();
  private final List<Grouping> groupings = new ArrayList<>();

  private PromQl(String expr) {
    this.expr = expr;
    this.tokens = lex(expr);
  }

  /** The references of {@code expr}; IllegalArgumentException naming the problem when it is not understood. */
  public static References references(String expr) {
    PromQl parser = new PromQl(expr);
    parser.parse();
    return new References(List.copyOf(parser.selectors), List.copyOf(parser.groupings));
  }

  private void parse() {
    Deque<Frame> frames = new ArrayDeque<>();
    frames.push(new Frame());
    Frame opening = null;
    while (pos < tokens.size()) {
      Token token = tokens.get(pos++);
      if (token.kind == Kind.IDENT) {
        opening = identifier(token.text, frames.peek(), opening);
      } else if (token.is("(")) {
        Frame frame = opening == null ? new Frame() : opening;
        opening = null;
        frames.push(frame);
      } else if (token.is(")")) {
        if (frames.size() == 1) {
          throw error("unbalanced ')'");
        }
        close(frames.pop(), frames.peek());
      } else if (token.is("{")) {
        throw error("a selector without a metric name");
      } else if (token.is(",")) {
        frames.peek().afterComma = true;
      } else if (token.is("}")) {
        throw error("unbalanced '}'");
      }
      if (opening != null && !peekIs("(") && !peekGrouping()) {
        throw error("a function is not followed by '('");
      }
    }
    if (frames.size() != 1) {
      throw error("unbalanced '('");
    }
    finish(frames.pop());
  }

  /** Handles an identifier; returns the frame the next '(' opens when it names a function. */
  private Frame identifier(String text, Frame current, Frame opening) {
    String name = KEYWORDS_AND_AGGREGATIONS.contains(text.toLowerCase(Locale.ROOT)) ? text.toLowerCase(Locale.ROOT) : text;
    boolean call = peekIs("(");
    if (current.labelValues && current.afterComma) {
      if (current.labelValuesLabel != null) {
        throw error("label_values takes a metric and one label");
      }
      current.labelValuesLabel = name;
      return opening;
    }
    if (GROUPING_KEYWORDS.contains(name)) {
      Set<String> labels = labelList(name);
      if (opening != null && opening.aggregation != null && opening.aggregationLabels == null) {
        opening.aggregationKeyword = name;
        opening.aggregationLabels = labels;
        return opening;
      }
      throw error("'" + name + "' outside an aggregation");
    }
    if (MATCHING_KEYWORDS.contains(name)) {
      Set<String> labels = call ? labelList(name) : Set.of();
      boolean every = name.equals("on") || name.equals("ignoring");
      current.pending.add(new Grouping(name, labels, Set.of(), every));
      return opening;
    }
    if (OTHER_KEYWORDS.contains(name)) {
      return opening;
    }
    if (call) {
      Frame frame = new Frame();
      if (AGGREGATIONS.contains(name)) {
        frame.aggregation = name;
      } else if (name.equals(LABEL_VALUES)) {
        frame.labelValues = true;
      } else if (!FUNCTIONS.contains(name)) {
        throw error("unknown function '" + name + "'");
      }
      return frame;
    }
    if (AGGREGATIONS.contains(name) && peekGrouping()) {
      Frame frame = new Frame();
      frame.aggregation = name;
      return frame;
    }
    selector(name, current);
    return opening;
  }

  private void selector(String metric, Frame current) {
    List<Matcher> matchers = new ArrayList<>();
    if (peekIs("{")) {
      pos++;
      while (!next("}").is("}")) {
        pos--;
        Token label = next("a label name");
        Token op = next("a matcher operator");
        Token value = next("a quoted value");
        if (label.kind != Kind.IDENT || !Set.of("=", "!=", "=~", "!~").contains(op.text) || value.kind != Kind.STRING) {
          throw error("bad matcher in the selector of " + metric);
        }
        matchers.add(new Matcher(label.text, op.text, value.text));
        if (peekIs(",")) {
          pos++;
        }
      }
    }
    selectors.add(new Selector(metric, List.copyOf(matchers)));
    current.metrics.add(metric);
  }

  /** Reads {@code (a, b, ...)} after a grouping keyword. */
  private Set<String> labelList(String keyword) {
    if (!next("'(' after " + keyword).is("(")) {
      throw error("'" + keyword + "' without a label list");
    }
    Set<String> labels = new LinkedHashSet<>();
    for (Token token = next("')'"); !token.is(")"); token = next("')'")) {
      if (token.kind == Kind.IDENT) {
        labels.add(token.text);
      } else if (!token.is(",")) {
        throw error("'" + token.text + "' in the label list of " + keyword);
      }
    }
    return labels;
  }

  private void close(Frame frame, Frame parent) {
    if (frame.aggregation != null && frame.aggregationLabels == null && peekGrouping()) {
      frame.aggregationKeyword = tokens.get(pos).text;
      pos++;
      frame.aggregationLabels = labelList(frame.aggregationKeyword);
    }
    if (frame.aggregationLabels != null) {
      groupings.add(new Grouping(frame.aggregationKeyword, frame.aggregationLabels, Set.copyOf(frame.metrics), true));
    }
    if (frame.labelValues) {
      if (frame.labelValuesLabel == null || frame.metrics.isEmpty()) {
        throw error("label_values needs a metric and a label");
      }
      groupings.add(new Grouping(LABEL_VALUES, Set.of(frame.labelValuesLabel), Set.copyOf(frame.metrics), true));
    }
    finish(frame);
    parent.metrics.addAll(frame.metrics);
  }

  private void finish(Frame frame) {
    for (Grouping matching : frame.pending) {
      groupings.add(new Grouping(matching.keyword(), matching.labels(), Set.copyOf(frame.metrics), matching.onEvery()));
    }
  }

  private boolean peekIs(String punct) {
    return pos < tokens.size() && tokens.get(pos).is(punct);
  }

  private boolean peekGrouping() {
    return pos < tokens.size() && tokens.get(pos).kind == Kind.IDENT && GROUPING_KEYWORDS.contains(tokens.get(pos).text);
  }

  private Token next(String expected) {
    if (pos >= tokens.size()) {
      throw error("the expression ends where " + expected + " was expected");
    }
    return tokens.get(pos++);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " in: " + expr);
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new LinkedHashSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return Set.copyOf(all);
  }

  private static List<Token> lex(String expr) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        i = endOf(expr, i, '\n');
      } else if (c == '"' || c == '\'' || c == '`') {
        i = closingQuote(expr, i);
        tokens.add(new Token(Kind.STRING, expr.substring(start + 1, i - 1)));
      } else if (c == '[') {
        i = endOf(expr, i, ']');
        tokens.add(new Token(Kind.RANGE, expr.substring(start, i)));
      } else if (c == '$') {
        i = variableEnd(expr, i + 1);
        tokens.add(new Token(Kind.VARIABLE, expr.substring(start, i)));
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || "_:".indexOf(expr.charAt(i)) >= 0)) {
          i++;
        }
        tokens.add(new Token(Kind.IDENT, expr.substring(start, i)));
      } else if (Character.isDigit(c) || c == '.') {
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(Kind.NUMBER, expr.substring(start, i)));
      } else {
        String two = i + 1 < expr.length() ? expr.substring(i, i + 2) : "";
        String op = Set.of("=~", "!~", "!=", "==", ">=", "<=").contains(two) ? two : String.valueOf(c);
        if (!"(){},=<>+-*/%^".contains(op) && op.length() == 1) {
          throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in: " + expr);
        }
        i += op.length();
        tokens.add(new Token(Kind.PUNCT, op));
      }
    }
    return tokens;
  }

  private static int endOf(String expr, int from, char end) {
    int at = expr.indexOf(end, from);
    if (at < 0 && end != '\n') {
      throw new IllegalArgumentException("'" + expr.charAt(from) + "' is never closed in: " + expr);
    }
    return at < 0 ? expr.length() : at + 1;
  }

  private static int closingQuote(String expr, int open) {
    char quote = expr.charAt(open);
    for (int i = open + 1; i < expr.length(); i++) {
      if (expr.charAt(i) == '\\' && quote != '`') {
        i++;
      } else if (expr.charAt(i) == quote) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unterminated string in: " + expr);
  }

  private static int variableEnd(String expr, int i) {
    if (i < expr.length() && expr.charAt(i) == '{') {
      return endOf(expr, i, '}');
    }
    while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
      i++;
    }
    return i;
  }
}
