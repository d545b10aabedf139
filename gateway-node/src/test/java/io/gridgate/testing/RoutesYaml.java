package io.gridgate.testing;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.RouteSpec;
import java.util.List;

/** Route definitions parsed from YAML as a node parses them, for unit tests of what routes compile to. */
public final class RoutesYaml {
  private RoutesYaml() {
  }

  /** The routes of {@code document}: YAML sections after {@code upstreams}, whose routes may use upstream {@code app}. */
  public static List<RouteSpec> parse(String document) {
    return new ConfigParser().parse("""
        upstreams:
          app: {targets: [{address: "127.0.0.1:1"}]}
        """ + document).routes();
  }
}
