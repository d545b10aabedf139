package io.gridgate.routing;

import io.vertx.core.MultiMap;

/** What route lookup sees of a request: method, host (lower case without port, or null), normalised path and headers. */
record RouteRequest(String method, String host, String path, MultiMap headers) {

  /** The table's answer through its index. */
  RouteLookup lookUpIn(RouteTable table) {
    return table.match(method, host, path, headers);
  }

  /** The answer of a scan of every route in match order: how lookup worked before the index, kept as the oracle. */
  RouteLookup scan(RouteTable table) {
    return table.firstMatch(Ranks.all(table.routes().size()), method, host, path, headers);
  }

  @Override
  public String toString() {
    return method + " host=" + host + " path=" + path + " headers=" + headers.entries();
  }
}
