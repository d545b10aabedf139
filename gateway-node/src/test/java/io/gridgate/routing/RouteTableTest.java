package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.ConfigParser;
import io.gridgate.config.HeaderOps;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route selection (path kinds, hosts, methods, headers, priority, order), path rewrites and header operations. */
class RouteTableTest {

  @Test
  void exactBeatsTemplateBeatsPrefixBeatsRegexWhateverTheDeclarationOrder() {
    RouteTable table = table("""
        - {id: regex, match: {path: {regex: "^/(api|v1)/.*$"}}, upstream: u}
        - {id: prefix, match: {path: {prefix: /api}}, upstream: u}
        - {id: longer-prefix, match: {path: {prefix: /api/users}}, upstream: u}
        - {id: template, match: {path: {template: "/api/users/{id}"}}, upstream: u}
        - {id: exact, match: {path: {exact: /api/users/me}}, upstream: u}
        """);

    assertEquals(List.of("exact", "template", "longer-prefix", "prefix", "regex"), ids(table));
    assertEquals("exact", get(table, "/api/users/me"));
    assertEquals("template", get(table, "/api/users/42"));
    assertEquals("longer-prefix", get(table, "/api/users/42/orders"));
    assertEquals("prefix", get(table, "/api/other"));
    assertEquals("regex", get(table, "/v1/anything"));
    assertEquals("404", get(table, "/other"));
  }

  @Test
  void templateWithTheLongerLiteralPartWinsAndParametersAreWholeSegments() {
    RouteTable table = table("""
        - {id: generic, match: {path: {template: "/api/{kind}/{id}"}}, upstream: u}
        - {id: users, match: {path: {template: "/api/users/{id}"}}, upstream: u}
        """);

    assertEquals("users", get(table, "/api/users/7"));
    assertEquals("generic", get(table, "/api/orders/7"));
    assertEquals("404", get(table, "/api/users/7/x"));
    assertEquals("404", get(table, "/api/users/"));
  }

  @ParameterizedTest(name = "prefix {0}, path {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      /api  | /api       | true
      /api  | /api/      | true
      /api  | /api/x/y   | true
      /api  | /apix      | false
      /api  | /ap        | false
      /api/ | /api/x     | true
      /api/ | /apix      | false
      /     | /anything  | true
      """)
  void prefixMatchesAtSegmentBoundaries(String prefix, String path, boolean matches) {
    RouteTable table = table("- {id: p, match: {path: {prefix: \"" + prefix + "\"}}, upstream: u}\n");

    assertEquals(matches ? "p" : "404", get(table, path));
  }

  @ParameterizedTest(name = "host {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
      api.example.com     | exact-host
      shop.example.com    | wildcard
      shop.eu.example.com | eu-wildcard
      example.com         | any-host
      badexample.com      | any-host
      NONE                | any-host
      """)
  void exactHostBeatsLongerWildcardBeatsShorterWildcardBeatsAnyHost(String host, String route) {
    RouteTable table = table("""
        - {id: any-host, match: {path: {prefix: /}}, upstream: u}
        - {id: wildcard, match: {path: {prefix: /}, hosts: ["*.example.com"]}, upstream: u}
        - {id: exact-host, match: {path: {prefix: /}, hosts: [api.example.com]}, upstream: u}
        - {id: eu-wildcard, match: {path: {prefix: /}, hosts: ["*.eu.example.com"]}, upstream: u}
        """);

    assertEquals(route, lookup(table, "GET", host, "/"));
  }

  @ParameterizedTest(name = "host {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
      a.example.com | w
      other.org     | w
      example.com   | 404
      .example.com  | 404
      sub.other.org | 404
      NONE          | 404
      """)
  void wildcardHostDoesNotMatchTheBareDomain(String host, String route) {
    RouteTable table = table("- {id: w, match: {path: {prefix: /}, hosts: [\"*.example.com\", other.org]}, upstream: u}\n");

    assertEquals(route, lookup(table, "GET", host, "/"));
  }

  @Test
  void wrongMethodGives405WithTheUnionOfAllowedMethods() {
    RouteTable table = table("""
        - {id: read, match: {path: {prefix: /items}, methods: [GET, HEAD]}, upstream: u}
        - {id: write, match: {path: {prefix: /items}, methods: [POST, put]}, upstream: u}
        - {id: other, match: {path: {prefix: /other}, methods: [DELETE]}, upstream: u}
        """);

    assertEquals("read", lookup(table, "HEAD", null, "/items"));
    assertEquals("write", lookup(table, "PUT", null, "/items/1"));
    assertEquals("other", lookup(table, "DELETE", null, "/other"));
    RouteLookup lookup = table.match("DELETE", null, "/items/1", HttpHeaders.headers());
    assertFalse(lookup.found());
    assertTrue(lookup.methodNotAllowed());
    assertEquals(Set.of("GET", "HEAD", "POST", "PUT"), lookup.allowedMethods());
    assertEquals("404", lookup(table, "DELETE", null, "/nothing"));
  }

  @Test
  void aRouteWithoutMethodsTakesWhatTheMethodRestrictedRouteRefuses() {
    RouteTable table = table("""
        - {id: any-method, match: {path: {prefix: /items}}, upstream: u}
        - {id: get-only, match: {path: {prefix: /items}, methods: [GET]}, upstream: u}
        """);

    assertEquals("get-only", get(table, "/items"));
    assertEquals("any-method", lookup(table, "DELETE", null, "/items"));
  }

  @ParameterizedTest(name = "{0} with X-Flag={1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NONE", textBlock = """
      present: true         | 1          | true
      present: true         | ""         | true
      present: true         | NONE       | false
      present: false        | NONE       | true
      present: false        | 1          | false
      equals: canary        | canary     | true
      equals: canary        | Canary     | false
      equals: canary        | canary-2   | false
      equals: canary        | NONE       | false
      regex: '^v[0-9]+$'    | v12        | true
      regex: '^v[0-9]+$'    | v12a       | false
      regex: '^v[0-9]+$'    | NONE       | false
      regex: beta           | pre-beta-2 | true
      """)
  void headerPredicates(String test, String value, boolean matches) {
    RouteTable table = table("- {id: h, match: {path: {prefix: /}, headers: [{name: X-Flag, " + test + "}]}, upstream: u}\n");
    String[] headers = value == null ? new String[0] : new String[] {"x-flag", value};

    assertEquals(matches ? "h" : "404", lookup(table, "GET", null, "/", headers));
  }

  @Test
  void allHeaderPredicatesMustHoldAndMorePredicatesAreTriedFirst() {
    RouteTable table = table("""
        - {id: plain, match: {path: {prefix: /}}, upstream: u}
        - id: canary
          match:
            path: {prefix: /}
            headers: [{name: X-Canary, equals: "true"}, {name: X-Debug, present: false}]
          upstream: u
        """);

    assertEquals("canary", lookup(table, "GET", null, "/", "X-Canary", "true"));
    assertEquals("plain", lookup(table, "GET", null, "/", "X-Canary", "true", "X-Debug", "1"));
    assertEquals("plain", lookup(table, "GET", null, "/"));
  }

  @Test
  void explicitPriorityBeatsSpecificity() {
    RouteTable table = table("""
        - {id: exact, match: {path: {exact: /a}}, upstream: u}
        - {id: low, priority: -1, match: {path: {exact: /b}}, upstream: u}
        - {id: catch-all, priority: 10, match: {path: {regex: "^/.*$"}}, upstream: u}
        - {id: prefix, match: {path: {prefix: /b}}, upstream: u}
        """);

    assertEquals(List.of("catch-all", "exact", "prefix", "low"), ids(table));
    assertEquals("catch-all", get(table, "/a"));
    RouteTable withoutCatchAll = table("""
        - {id: low, priority: -1, match: {path: {exact: /b}}, upstream: u}
        - {id: prefix, match: {path: {prefix: /b}}, upstream: u}
        """);
    assertEquals("prefix", get(withoutCatchAll, "/b"));
  }

  @Test
  void declarationOrderBreaksTheLastTie() {
    String route = "- {id: %s, match: {path: {prefix: /same}, methods: [GET]}, upstream: u}\n";

    assertEquals("first", get(table(route.formatted("first") + route.formatted("second")), "/same"));
    assertEquals("second", get(table(route.formatted("second") + route.formatted("first")), "/same"));
  }

  @ParameterizedTest(name = "prefix {0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      /api  | /api/users/42 | /users/42
      /api  | /api          | /
      /api  | /api/         | /
      /api/ | /api/users    | /users
      /     | /users        | /users
      """)
  void stripPrefixDropsTheMatchedPrefix(String prefix, String path, String upstreamPath) {
    assertEquals(upstreamPath, rewritten(
        "{id: r, match: {path: {prefix: \"" + prefix + "\"}}, upstream: u, rewrite: {strip_prefix: true}}", path));
  }

  @Test
  void aDollarNotFollowedByADigitIsLiteralInARegexReplacement() {
    assertEquals("/svc/$metadata/meta", rewritten(
        "{id: r, match: {path: {prefix: /odata}}, upstream: u, rewrite: {regex: \"^/odata/(\\\\w+)$\", replacement: \"/svc/$metadata/$1\"}}",
        "/odata/meta"));
  }

  @Test
  void regexRewriteUsesGroupsAndLeavesNonMatchingPathsAlone() {
    String route = """
        {id: r, match: {path: {prefix: /api}}, upstream: u,
         rewrite: {regex: '^/api/v([0-9]+)/(.*)$', replacement: '/v$1/$2'}}""";

    assertEquals("/v2/orders/7", rewritten(route, "/api/v2/orders/7"));
    assertEquals("/api/other", rewritten(route, "/api/other"));
  }

  @Test
  void regexRewriteAppliesAfterStripPrefix() {
    String route = """
        {id: r, match: {path: {prefix: /api}}, upstream: u,
         rewrite: {strip_prefix: true, regex: '^/users/([0-9]+)$', replacement: '/accounts/$1'}}""";

    assertEquals("/accounts/42", rewritten(route, "/api/users/42"));
    assertEquals("/orders/1", rewritten(route, "/api/orders/1"));
  }

  @Test
  void templateParametersAreInsertedIntoTheReplacement() {
    String route = """
        {id: r, match: {path: {template: "/users/{id}/orders/{order}"}}, upstream: u,
         rewrite: {replacement: "/v2/accounts/{id}/orders/{order}"}}""";

    assertEquals("/v2/accounts/42/orders/7", rewritten(route, "/users/42/orders/7"));
    assertEquals("/v2/accounts/a$1b/orders/x%20y", rewritten(route, "/users/a$1b/orders/x%20y"));
  }

  @Test
  void templateParametersAndRegexGroupsCombine() {
    String route = """
        {id: r, match: {path: {template: "/users/{id}/{rest}"}}, upstream: u,
         rewrite: {regex: '^/users/([^/]+)/(.*)$', replacement: '/u/{rest}/$1'}}""";

    assertEquals("/u/x/42", rewritten(route, "/users/42/x"));
    assertEquals("/u/b$2/a$1", rewritten(route, "/users/a$1/b$2"));
  }

  @Test
  void replacementAloneReplacesTheWholePath() {
    assertEquals("/new", rewritten("{id: r, match: {path: {prefix: /old}}, upstream: u, rewrite: {replacement: /new}}",
        "/old/x/y"));
  }

  @Test
  void withoutRewriteThePathIsForwardedAsIs() {
    RouteTable table = table("- {id: r, match: {path: {prefix: /}}, upstream: u}\n");
    String path = "/a/b";

    assertSame(path, table.routes().get(0).upstreamPath(path));
  }

  @Test
  void anEncodedQuestionMarkStaysPartOfThePath() {
    // The query string is never part of the path given to matching and rewrites; an encoded '?' is path data.
    String path = PathNormalizer.normalize("/api/a%3Fx=1/./b");

    assertEquals("/api/a%3Fx=1/b", path);
    assertEquals("/a%3Fx=1/b", rewritten(
        "{id: r, match: {path: {prefix: /api}}, upstream: u, rewrite: {strip_prefix: true}}", path));
  }

  @Test
  void demoRoutesSelectAndRewriteAsDocumented() {
    RouteTable table = new RouteTable(new ConfigParser().parseFile(Path.of("../cluster-config/gateway.yaml")).routes());

    assertEquals("hello", get(table, "/api/hello/world"));
    assertEquals("/hello/world", route(table, "hello").upstreamPath("/api/hello/world"));
    assertEquals("canary", lookup(table, "GET", null, "/api/hello/world", "X-Canary", "true"));
    assertEquals("405 [GET, HEAD]", lookup(table, "POST", null, "/api/hello"));
    assertEquals("users", get(table, "/users/7"));
    assertEquals("/v2/accounts/7", route(table, "users").upstreamPath("/users/7"));
    assertEquals("users", lookup(table, "GET", "x.internal.example", "/users/7"));
    assertEquals("admin-host", lookup(table, "GET", "x.internal.example", "/other"));
    assertEquals("404", get(table, "/nothing"));
  }

  @Test
  void headerOperationsApplyRenameRemoveSetAdd() {
    MultiMap headers = headers("x-old", "1", "X-Old", "2", "X-Drop", "d", "X-Set", "a", "X-Set", "b", "X-Add", "orig");

    new HeaderTransformer(new HeaderOps(
        Map.of("X-Old", "X-New"), List.of("x-drop"), Map.of("X-Set", "new"), Map.of("X-Add", "more")))
        .apply(headers);

    assertEquals(List.of("1", "2"), headers.getAll("X-New"));
    assertFalse(headers.contains("X-Old"));
    assertFalse(headers.contains("X-Drop"));
    assertEquals(List.of("new"), headers.getAll("X-Set"));
    assertEquals(List.of("orig", "more"), headers.getAll("X-Add"));
  }

  @Test
  void headerOperationsRunInTheOrderRenameRemoveSetAdd() {
    MultiMap headers = headers("X-Tmp", "t", "X-A", "a", "X-C", "c");

    new HeaderTransformer(new HeaderOps(
        Map.of("X-Tmp", "X-Gone", "X-A", "X-B"),
        List.of("X-Gone", "X-C"),
        Map.of("X-C", "set", "X-D", "set"),
        Map.of("X-D", "added", "X-B", "added")))
        .apply(headers);

    assertFalse(headers.contains("X-Gone"), "remove runs after rename");
    assertEquals(List.of("set"), headers.getAll("X-C"), "set runs after remove");
    assertEquals(List.of("set", "added"), headers.getAll("X-D"), "add runs after set");
    assertEquals(List.of("a", "added"), headers.getAll("X-B"), "add runs after rename");
    assertFalse(headers.contains("X-Tmp"));
  }

  @Test
  void routeHeaderOperationsComeFromTheConfiguration() {
    RouteTable table = table("""
        - id: r
          match: {path: {prefix: /}}
          upstream: u
          request_headers: {rename: {X-User: X-Account}, set: {X-Release: canary}}
          response_headers: {remove: [Server], add: {X-Gateway: gridgate}}
        """);
    CompiledRoute route = table.routes().get(0);
    MultiMap request = headers("X-User", "u1", "X-Release", "stable");
    MultiMap response = headers("Server", "nginx", "X-Gateway", "upstream");

    route.requestHeaders().apply(request);
    route.responseHeaders().apply(response);

    assertEquals(List.of("u1"), request.getAll("X-Account"));
    assertFalse(request.contains("X-User"));
    assertEquals(List.of("canary"), request.getAll("X-Release"));
    assertFalse(response.contains("Server"));
    assertEquals(List.of("upstream", "gridgate"), response.getAll("X-Gateway"));
  }

  @Test
  void aRouteWithoutHeaderOperationsLeavesHeadersUntouched() {
    MultiMap headers = headers("A", "1", "a", "2");

    table("- {id: r, match: {path: {prefix: /}}, upstream: u}\n").routes().get(0).requestHeaders().apply(headers);

    assertEquals(List.of("1", "2"), headers.getAll("A"));
    assertEquals(2, headers.entries().size());
  }

  /** A route table from a YAML list of routes, all pointing at upstream {@code u}. */
  private static RouteTable table(String routesYaml) {
    return new RouteTable(new ConfigParser().parse("""
        upstreams:
          u: {targets: [{address: "127.0.0.1:18081"}]}
        routes:
        """ + routesYaml).routes());
  }

  /** The upstream path for {@code path} on a table holding the single route written in flow style. */
  private static String rewritten(String routeYaml, String path) {
    RouteLookup lookup = table("- " + routeYaml + "\n").match("GET", null, path, HttpHeaders.headers());
    assertTrue(lookup.found(), "route does not match " + path);
    return lookup.route().upstreamPath(path);
  }

  private static String get(RouteTable table, String path) {
    return lookup(table, "GET", null, path);
  }

  /** The matched route id, {@code 404}, or {@code 405 [allowed methods]}. */
  private static String lookup(RouteTable table, String method, String host, String path, String... headerPairs) {
    RouteLookup lookup = table.match(method, host, path, headers(headerPairs));
    if (lookup.found()) {
      return lookup.route().id();
    }
    return lookup.methodNotAllowed() ? "405 " + lookup.allowedMethods() : "404";
  }

  private static MultiMap headers(String... pairs) {
    MultiMap headers = HttpHeaders.headers();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  private static List<String> ids(RouteTable table) {
    return table.routes().stream().map(CompiledRoute::id).toList();
  }

  private static CompiledRoute route(RouteTable table, String id) {
    return table.routes().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }
}
