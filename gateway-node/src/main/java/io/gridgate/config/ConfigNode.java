package io.gridgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value of the parsed YAML tree together with its path; typed accessors report problems to a
 * shared error list instead of throwing, so one pass finds every error in a document.
 */
final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  /** Longer durations are configuration mistakes (and would overflow nanosecond arithmetic). */
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KiB|MiB|GiB)?");

  private final String path;
  private final Object value;
  private final List<ConfigError> errors;

  ConfigNode(String path, Object value, List<ConfigError> errors) {
    this.path = path;
    this.value = value;
    this.errors = errors;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return value == null;
  }

  boolean isMap() {
    return value instanceof Map;
  }

  boolean isList() {
    return value instanceof List;
  }

  /** The YAML value as loaded: a Map, List, String, Number, Boolean or null. */
  Object raw() {
    return value;
  }

  boolean isScalar() {
    return value != null && !isMap() && !isList();
  }

  void error(String reason) {
    errors.add(new ConfigError(path, reason));
  }

  /** The child at {@code key}; a missing child is a node whose value is null. */
  ConfigNode get(String key) {
    Object child = value instanceof Map<?, ?> map ? map.get(key) : null;
    return new ConfigNode(childPath(key), child, errors);
  }

  /** Reports keys of this map that are not among {@code allowed}, to catch misspelt fields. */
  ConfigNode allowOnly(Set<String> allowed) {
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!allowed.contains(String.valueOf(key))) {
          new ConfigNode(childPath(String.valueOf(key)), null, errors)
              .error("unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
      }
    } else if (value != null) {
      error("must be a mapping");
    }
    return this;
  }

  /** Entries of this map, in document order. */
  Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), new ConfigNode(childPath(String.valueOf(k)), v, errors)));
    } else if (value != null) {
      error("must be a mapping");
    }
    return out;
  }

  /** Items of this list; a missing list is empty. */
  List<ConfigNode> items() {
    List<ConfigNode> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        out.add(new ConfigNode(path + "[" + i + "]", list.get(i), errors));
      }
    } else if (value != null) {
      error("must be a list");
    }
    return out;
  }

  String string(String fallback) {
    if (value == null) {
      return fallback;
    }
    if (!isScalar()) {
      error("must be a string");
      return fallback;
    }
    if (value instanceof byte[]) {
      // SnakeYAML reads a scalar with non-printable characters (or !!binary) as bytes
      error("must be printable text");
      return fallback;
    }
    return String.valueOf(value);
  }

  String requiredString() {
    if (value == null) {
      error("is required");
      return null;
    }
    String s = string(null);
    if (s != null && s.isBlank()) {
      error("must not be empty");
      return null;
    }
    return s;
  }

  boolean bool(boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    error("must be true or false");
    return fallback;
  }

  int integer(int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      error("must be an integer");
      return fallback;
    }
    long v = ((Number) value).longValue();
    if (v < min || v > max) {
      error("must be between " + min + " and " + max + " (was " + v + ")");
      return fallback;
    }
    return (int) v;
  }

  /** A number between {@code min} and {@code max}, both included. */
  double number(double fallback, double min, double max) {
    return number(fallback, v -> v >= min && v <= max, "must be between " + min + " and " + max);
  }

  /** A number greater than 0 and at most 1, such as {@code 0.5}. */
  double fraction(double fallback) {
    return number(fallback, v -> v > 0 && v <= 1, "must be greater than 0 and at most 1");
  }

  private double number(double fallback, DoublePredicate allowed, String rule) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number)) {
      error("must be a number");
      return fallback;
    }
    double v = number.doubleValue();
    if (!allowed.test(v)) {
      error(rule + " (was " + value + ")");
      return fallback;
    }
    return v;
  }

  /** A duration written as {@code 500ms}, {@code 2s}, {@code 5m} or {@code 1h}. */
  Duration duration(Duration fallback) {
    if (value == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      error("must be a duration such as 500ms, 2s, 5m or 1h (was '" + value + "')");
      return fallback;
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } catch (ArithmeticException | NumberFormatException e) {
      d = MAX_DURATION.plusDays(1);
    }
    if (d.isZero()) {
      error("must be greater than zero");
      return fallback;
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      error("must be at most " + MAX_DURATION.toDays() + " days (was '" + value + "')");
      return fallback;
    }
    return d;
  }

  /** A byte size written as a number of bytes or with a unit: {@code 8KB}, {@code 10MB}, {@code 1GB}. */
  long size(long fallback) {
    if (value == null) {
      return fallback;
    }
    Matcher m = SIZE.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      error("must be a size such as 8192, 8KB, 10MB or 1GB (was '" + value + "')");
      return fallback;
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
    long multiplier = switch (unit) {
      case "KB" -> 1024L;
      case "MB" -> 1024L * 1024;
      case "GB" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      error("is too large (was '" + value + "')");
      return fallback;
    }
  }

  /** A value from a fixed set of words, matched case-insensitively with '-' and '_' equivalent. */
  <E extends Enum<E>> E enumValue(Class<E> type, E fallback) {
    if (value == null) {
      return fallback;
    }
    String word = String.valueOf(value).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(word)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    error("must be one of " + allowed + " (was '" + value + "')");
    return fallback;
  }

  /** A list of strings; a single scalar is taken as a one-element list. */
  List<String> strings() {
    if (value == null) {
      return List.of();
    }
    if (isScalar()) {
      return List.of(String.valueOf(value));
    }
    List<String> out = new ArrayList<>();
    for (ConfigNode item : items()) {
      String s = item.requiredString();
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** A map of string to string. */
  Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    entries().forEach((k, v) -> {
      String s = v.requiredString();
      if (s != null) {
        out.put(k, s);
      }
    });
    return out;
  }

  /** Parses this scalar with {@code parser}, which throws IllegalArgumentException with the reason. */
  <T> T parsed(Function<String, T> parser, T fallback) {
    String s = string(null);
    if (s == null) {
      return fallback;
    }
    try {
      return parser.apply(s);
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return fallback;
    }
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
