package io.gridgate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A secret field's reference to a value kept outside the document, resolved on each node:
 * {@code ${env:NAME}} (an environment variable) or {@code ${file:/absolute/path}} (a file).
 */
public record SecretReference(Kind kind, String target) {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String SYNTAX = "a value starting with '${' must be a secret reference: ${env:NAME} or ${file:/absolute/path}";

  /** Where the value is read from. */
  public enum Kind { ENV, FILE }

  /** True when {@code value} is written as a reference (well formed or not) rather than as a literal secret. */
  static boolean isReference(String value) {
    return value.startsWith("${");
  }

  /**
   * The reference {@code value} makes, or null when it is a literal; throws IllegalArgumentException
   * with the reason when it starts like a reference but is malformed (a literal is never echoed).
   */
  static SecretReference parse(String value) {
    if (!isReference(value)) {
      return null;
    }
    int colon = value.indexOf(':');
    if (!value.endsWith("}") || colon < 0) {
      throw new IllegalArgumentException(SYNTAX);
    }
    String kind = value.substring(2, colon);
    String target = value.substring(colon + 1, value.length() - 1);
    if (kind.equals("env")) {
      if (!ENV_NAME.matcher(target).matches()) {
        throw new IllegalArgumentException("${env:NAME} needs a variable name matching " + ENV_NAME.pattern());
      }
      return new SecretReference(Kind.ENV, target);
    }
    if (kind.equals("file")) {
      if (!isAbsolutePath(target)) {
        throw new IllegalArgumentException("${file:PATH} needs an absolute path");
      }
      return new SecretReference(Kind.FILE, target);
    }
    throw new IllegalArgumentException(SYNTAX);
  }

  private static boolean isAbsolutePath(String target) {
    try {
      return Path.of(target).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The reference as written in a document. */
  @Override
  public String toString() {
    return "${" + kind.name().toLowerCase(Locale.ROOT) + ":" + target + "}";
  }
}
