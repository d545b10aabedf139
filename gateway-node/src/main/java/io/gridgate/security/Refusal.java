package io.gridgate.security;

import java.util.Map;

/**
 * An answer the gateway gives itself instead of forwarding: a status, an error code and message
 * for the JSON body, and extra response headers (WWW-Authenticate, CORS fields). A status below
 * 300 (a CORS preflight) is sent with these headers and no body.
 */
public record Refusal(int status, String error, String message, Map<String, String> headers) {
  public Refusal {
    headers = Map.copyOf(headers);
  }

  public static Refusal of(int status, String error, String message) {
    return new Refusal(status, error, message, Map.of());
  }
}
