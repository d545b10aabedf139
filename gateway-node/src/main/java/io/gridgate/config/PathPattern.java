package io.gridgate.config;

/** A path to match: exact, prefix (segment-aware), template with {@code {param}}, or regex. */
public record PathPattern(Kind kind, String value) {
  /** The kind of path match. */
  public enum Kind { EXACT, PREFIX, TEMPLATE, REGEX }
}
