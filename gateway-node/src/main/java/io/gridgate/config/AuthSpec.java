package io.gridgate.config;

/** How a route authenticates its requests; a part that is null is not used. */
public record AuthSpec(ApiKeySpec apiKey) {

  /** API keys of registered consumers, read from a header or a query parameter (null when not read from it). */
  public record ApiKeySpec(String header, String query) {}
}
