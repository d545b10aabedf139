package io.gridgate.routing;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.RouteSpec;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Route tables and requests made from a seed: dense random mixes whose routes collide on purpose (every
 * path kind, exact and wildcard hosts, methods, header predicates, priorities, CORS), and realistic
 * tables of many services for benchmarks.
 */
final class RouteMixes {
  private static final String[] SEGMENTS = {"api", "users", "orders", "v1", "items", "a"};
  private static final String[] REQUEST_SEGMENTS = {"api", "users", "orders", "v1", "items", "a", "42", "x", "v2", ""};
  private static final String[] ROUTE_HOSTS = {"api.example.com", "example.com", "other.org", "x.eu.example.com",
      "*.example.com", "*.eu.example.com", "*.org", "*.other.org"};
  private static final String[] REQUEST_HOSTS = {null, "api.example.com", "shop.example.com", "example.com",
      "a.eu.example.com", "x.eu.example.com", "eu.example.com", "other.org", "a.other.org", "example.org", "localhost"};
  private static final String[] REGEXES = {"^/api(/.*)?$", "^/v[0-9]+/.*$", "^/[a-z]+/[0-9]+$", "^.*s$",
      "^/users/[0-9]+$", "/api/v1/.*", "^/orders/?$", "^/v1/it?ems/.*$", "^/users/a{0,1}/x$", "^/a/x|^/users/.*$",
      "^/api/users/42(/.*)?$", "api/.*"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] REQUEST_METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"};
  private static final String[] HEADER_TESTS = {"present: true", "present: false", "equals: canary", "regex: '^v[0-9]+$'"};
  private static final String[] HEADER_VALUES = {"canary", "v2", "other"};

  private RouteMixes() {}

  /** A table of the routes in {@code routesYaml} (a YAML list), all pointing at one upstream. */
  static RouteTable table(List<String> routesYaml) {
    return new RouteTable(specs(routesYaml));
  }

  /** The parsed routes of {@code routesYaml} (a YAML list), all pointing at one upstream. */
  static List<RouteSpec> specs(List<String> routesYaml) {
    return new ConfigParser().parse("""
        upstreams:
          u: {targets: [{address: "127.0.0.1:18081"}]}
        routes:
        """ + String.join("\n", routesYaml) + "\n").routes();
  }

  /** {@code count} random routes drawn from a small vocabulary, so that many of them overlap. */
  static List<String> randomRoutes(Random random, int count) {
    List<String> routes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder match = new StringBuilder("path: {").append(randomPath(random)).append('}');
      if (random.nextInt(2) == 0) {
        match.append(", hosts: ").append(someOf(random, ROUTE_HOSTS, 2));
      }
      if (random.nextInt(2) == 0) {
        match.append(", methods: ").append(someOf(random, METHODS, 3));
      }
      if (random.nextInt(10) < 3) {
        match.append(", headers: [{name: X-Flag, ").append(pick(random, HEADER_TESTS)).append("}]");
      }
      String priority = random.nextInt(5) == 0 ? ", priority: " + (random.nextInt(4) - 1) : "";
      String cors = random.nextInt(10) == 0 ? ", cors: {allow_origins: [\"*\"]}" : "";
      routes.add("- {id: r" + i + priority + ", match: {" + match + "}, upstream: u" + cors + "}");
    }
    return routes;
  }

  /** A random request over the same vocabulary: hits, near misses, wrong methods, preflights. */
  static RouteRequest randomRequest(Random random) {
    StringBuilder path = new StringBuilder();
    int segments = random.nextInt(5);
    for (int i = 0; i < segments; i++) {
      path.append('/').append(pick(random, REQUEST_SEGMENTS));
    }
    if (segments == 0 || random.nextInt(10) == 0) {
      path.append('/');
    }
    MultiMap headers = HttpHeaders.headers();
    if (random.nextInt(2) == 0) {
      headers.add("x-flag", pick(random, HEADER_VALUES));
    }
    if (random.nextInt(5) == 0) {
      headers.add("Origin", "https://app.example").add("Access-Control-Request-Method", "PUT");
    }
    return new RouteRequest(pick(random, REQUEST_METHODS), pick(random, REQUEST_HOSTS), path.toString(), headers);
  }

  /**
   * {@code count} routes as a gateway of many services has them: each service a prefix, a few
   * templates and exact paths, a third of them on their own host (exact or wildcard), a method list
   * on most, a canary header route now and then, and a regex route for every 250 services (about one per thousand routes).
   */
  static List<String> realisticRoutes(Random random, int count) {
    List<String> routes = new ArrayList<>();
    for (int i = 0; routes.size() < count; i++) {
      String service = "/svc" + i;
      String hosts = switch (i % 6) {
        case 0 -> ", hosts: [tenant" + i + ".example.com]";
        case 1 -> ", hosts: [\"*.tenant" + i + ".example.com\"]";
        default -> "";
      };
      routes.add(route(routes.size(), "prefix: " + quoted(service), hosts));
      routes.add(route(routes.size(), "template: " + quoted(service + "/users/{id}"), hosts + ", methods: [GET, PUT]"));
      routes.add(route(routes.size(), "template: " + quoted(service + "/users/{id}/orders/{order}"), hosts + ", methods: [GET]"));
      routes.add(route(routes.size(), "exact: " + quoted(service + "/health"), hosts + ", methods: [GET, HEAD]"));
      if (random.nextInt(10) == 0) {
        routes.add(route(routes.size(), "prefix: " + quoted(service), hosts + ", headers: [{name: X-Canary, equals: \"true\"}]"));
      }
      if (i % 250 == 0) {
        routes.add(route(routes.size(), "regex: " + quoted("^/legacy" + i + "/.*$"), ""));
      }
    }
    return routes.subList(0, count);
  }

  /** Requests for a table of {@link #realisticRoutes}: mostly hits on every kind of route, some misses. */
  static List<RouteRequest> realisticRequests(Random random, int routeCount, int count) {
    int services = Math.max(1, routeCount / 4);
    List<RouteRequest> requests = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      int i = random.nextInt(services);
      String host = switch (i % 6) {
        case 0 -> "tenant" + i + ".example.com";
        case 1 -> "api.tenant" + i + ".example.com";
        default -> "gateway.example.com";
      };
      String path = switch (random.nextInt(6)) {
        case 0 -> "/svc" + i + "/items/" + random.nextInt(1000);
        case 1, 2 -> "/svc" + i + "/users/" + random.nextInt(1000);
        case 3 -> "/svc" + i + "/users/" + random.nextInt(1000) + "/orders/" + random.nextInt(100);
        case 4 -> "/svc" + i + "/health";
        default -> "/nothing/" + random.nextInt(1000);
      };
      requests.add(new RouteRequest(random.nextInt(10) == 0 ? "POST" : "GET", host, path,
          HttpHeaders.headers().add("Accept", "application/json")));
    }
    return requests;
  }

  private static String route(int id, String path, String otherPredicates) {
    return "- {id: r" + id + ", match: {path: {" + path + "}" + otherPredicates + "}, upstream: u}";
  }

  private static String randomPath(Random random) {
    return switch (random.nextInt(9)) {
      case 0, 1 -> "exact: " + quoted(literalPath(random));
      case 2, 3, 4 -> "prefix: " + quoted(random.nextInt(8) == 0 ? "/" : literalPath(random));
      case 5, 6, 7 -> "template: " + quoted(templatePath(random));
      default -> "regex: " + quoted(pick(random, REGEXES));
    };
  }

  private static String literalPath(Random random) {
    StringBuilder path = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      path.append('/').append(pick(random, SEGMENTS));
    }
    return random.nextInt(8) == 0 ? path.append('/').toString() : path.toString();
  }

  private static String templatePath(Random random) {
    StringBuilder path = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      path.append('/').append(random.nextInt(5) < 2 ? "{p" + i + "}" : pick(random, SEGMENTS));
    }
    return path.toString();
  }

  /** One to {@code max} distinct values of {@code values}, as a YAML flow list. */
  private static String someOf(Random random, String[] values, int max) {
    List<String> chosen = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(max); i < n; i++) {
      String value = quoted(pick(random, values));
      if (!chosen.contains(value)) {
        chosen.add(value);
      }
    }
    return chosen.toString();
  }

  private static String quoted(String value) {
    return "\"" + value + "\"";
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
