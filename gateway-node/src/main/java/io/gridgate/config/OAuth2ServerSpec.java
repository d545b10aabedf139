package io.gridgate.config;

import java.time.Duration;

/** An RFC 7662 token introspection endpoint, the gateway's client credentials for it and how its answers are cached. */
public record OAuth2ServerSpec(String name, String introspectionUrl, String clientId, String clientSecret,
                               Duration cacheTtl, Duration negativeCacheTtl, int cacheSize, TokenLocation token) {
  @Override
  public String toString() {
    return "OAuth2ServerSpec[name=" + name + ", introspectionUrl=" + introspectionUrl + ", clientId=" + clientId
        + ", cacheTtl=" + cacheTtl + ", negativeCacheTtl=" + negativeCacheTtl + ", cacheSize=" + cacheSize
        + ", token=" + token + "]";
  }
}
