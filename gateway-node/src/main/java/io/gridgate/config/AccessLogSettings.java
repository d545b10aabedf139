package io.gridgate.config;

import java.util.List;

/**
 * The node's JSON access log: off by default; written to {@code stdout} or appended to a file; a
 * {@code sampleRatio} of requests is written, and every error (status 400 and above, or an aborted
 * response) too when {@code alwaysLogErrors}; {@code headers} names request headers to include
 * (lower case) and {@code redactQueryParams} query parameters whose values are never written, on
 * top of the built-in credential names.
 */
public record AccessLogSettings(boolean enabled, String output, double sampleRatio, boolean alwaysLogErrors,
                                List<String> headers, List<String> redactQueryParams) {
  public static final String STDOUT = "stdout";

  public AccessLogSettings {
    headers = List.copyOf(headers);
    redactQueryParams = List.copyOf(redactQueryParams);
  }

  public static AccessLogSettings off() {
    return new AccessLogSettings(false, STDOUT, 1.0, true, List.of(), List.of());
  }
}
