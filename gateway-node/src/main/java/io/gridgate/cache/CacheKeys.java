package io.gridgate.cache;

import io.gridgate.config.CacheSpec;
import io.gridgate.security.Identity;
import io.vertx.core.MultiMap;
import java.util.Arrays;

/**
 * Builds the key of a request's cached answer: route id and the generation of its definition, host,
 * normalised path, the query (sorted, or left out), the values of the route's vary headers and
 * who the caller is. HEAD shares GET's key. Parts are separated by LF, which no part can contain
 * (the gateway refuses CR, LF and NUL in request lines and header values).
 */
final class CacheKeys {
  private CacheKeys() {}

  static String of(String routeId, long generation, CacheSpec spec, String host, String path, String query,
                   MultiMap headers, Identity caller) {
    StringBuilder key = new StringBuilder(128).append(routeId).append('#').append(generation)
        .append('\n').append(host == null ? "" : host)
        .append('\n').append(path)
        .append('\n');
    if (spec.query() == CacheSpec.QueryKey.ALL && query != null && !query.isEmpty()) {
      String[] params = query.split("&");
      Arrays.sort(params);
      key.append(String.join("&", params));
    }
    for (String header : spec.varyHeaders()) {
      key.append('\n').append(header).append(':').append(String.join(",", headers.getAll(header)));
    }
    key.append('\n');
    if (caller != null) {
      key.append(caller.credential()).append(':').append(caller.claims().getValue("iss"))
          .append('|').append(caller.consumer()).append('|').append(caller.subject());
    }
    return key.toString();
  }
}
