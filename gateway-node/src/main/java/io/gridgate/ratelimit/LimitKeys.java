package io.gridgate.ratelimit;

import io.gridgate.config.RateLimitSpec.LimitKey;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Builds a request's key under a limit from the limit's key parts. A single part is the key as is;
 * several are each prefixed with their length, so no two different requests can share a key.
 */
final class LimitKeys {
  private final LimitKey[] parts;
  private final String routeId;
  private final String pathTemplate;

  LimitKeys(List<LimitKey> parts, String routeId, String pathTemplate) {
    this.parts = parts.toArray(LimitKey[]::new);
    this.routeId = routeId;
    this.pathTemplate = pathTemplate;
  }

  String keyOf(String clientAddress, String consumer, String path, MultiMap headers) {
    if (parts.length == 1) {
      return BucketNames.compact(part(parts[0], clientAddress, consumer, path, headers));
    }
    StringBuilder key = new StringBuilder(64);
    for (LimitKey p : parts) {
      String value = part(p, clientAddress, consumer, path, headers);
      key.append(value.length()).append(':').append(value);
    }
    return BucketNames.compact(key.toString());
  }

  private String part(LimitKey p, String clientAddress, String consumer, String path, MultiMap headers) {
    return switch (p.source()) {
      case CLIENT_ADDRESS -> clientAddress;
      case CONSUMER -> consumer != null ? "c:" + consumer : "a:" + clientAddress;
      case ROUTE -> routeId;
      case PATH -> path;
      case PATH_TEMPLATE -> pathTemplate;
      case HEADER -> {
        String value = headers.get(p.header());
        yield value == null ? "" : value;
      }
    };
  }
}
