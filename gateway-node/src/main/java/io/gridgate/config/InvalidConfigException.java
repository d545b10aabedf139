package io.gridgate.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration document has one or more errors; carries all of them. */
public final class InvalidConfigException extends RuntimeException {
  private final List<ConfigError> errors;

  public InvalidConfigException(List<ConfigError> errors) {
    super(errors.size() + " configuration error(s):\n  "
        + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n  ")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
