package io.gridgate.load;

import java.time.Duration;

/**
 * The {@code gridgate.*} system properties a simulation reads; a bad value fails the run at once
 * with the property's name.
 */
final class Props {

  private Props() {}

  /** A positive int, or {@code defaultValue} when the property is unset. */
  static int positiveInt(String name, int defaultValue) {
    return intAtLeast(name, defaultValue, 1);
  }

  /** A non-negative int, or {@code defaultValue} when the property is unset. */
  static int nonNegativeInt(String name, int defaultValue) {
    return intAtLeast(name, defaultValue, 0);
  }

  private static int intAtLeast(String name, int defaultValue, int min) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + raw + "'");
    }
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
    return value;
  }

  /** A number of seconds, or {@code defaultSeconds} when the property is unset. */
  static Duration seconds(String name, int defaultSeconds) {
    return Duration.ofSeconds(positiveInt(name, defaultSeconds));
  }

  /** A number (a percentage, say), or {@code defaultValue} when the property is unset. */
  static double number(String name, double defaultValue) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was '" + raw + "'");
    }
  }

  /** A property the run cannot do without (load-tests/run.sh sets it). */
  static String required(String name) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException(
          name + " is required (load-tests/run.sh sets it; see load-tests/README.md)");
    }
    return raw.trim();
  }
}
