package io.gridgate.config;

/** A condition on one request header: present, absent, equal to a value or matching a regex. */
public record HeaderPredicate(String name, Kind kind, String value) {
  /** The kind of header test. */
  public enum Kind { PRESENT, ABSENT, EQUALS, REGEX }
}
