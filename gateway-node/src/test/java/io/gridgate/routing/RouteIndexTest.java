package io.gridgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Precedence where the index looks routes up in different places (host buckets, literal and parameter edges). */
class RouteIndexTest {

  @Test
  void explicitPriorityOnAHostLessRegexBeatsAnExactPathOnTheExactHost() {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: exact, match: {path: {exact: /a/b}, hosts: [api.example.com]}, upstream: u}",
        "- {id: regex, priority: 1, match: {path: {regex: \"^/a/.*$\"}}, upstream: u}",
        "- {id: wildcard, match: {path: {exact: /a/b}, hosts: [\"*.example.com\"]}, upstream: u}"));

    assertEquals("regex", lookup(table, "GET", "api.example.com", "/a/b"));
    assertEquals("regex", lookup(table, "GET", null, "/a/b"));
  }

  @ParameterizedTest(name = "host {0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
      api.example.com   | exact-host
      a.b.example.com   | wildcard
      b.example.com     | wildcard
      example.com       | any-host
      NONE              | any-host
      """)
  void theSamePathUnderAnExactHostAWildcardAndNoHostKeepsTheHostOrder(String host, String route) {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: any-host, match: {path: {template: \"/users/{id}\"}}, upstream: u}",
        "- {id: wildcard, match: {path: {template: \"/users/{id}\"}, hosts: [\"*.example.com\"]}, upstream: u}",
        "- {id: exact-host, match: {path: {template: \"/users/{id}\"}, hosts: [api.example.com]}, upstream: u}"));

    assertEquals(route, lookup(table, "GET", host, "/users/7"));
  }

  @Test
  void aRouteReachedThroughTwoOfItsHostsIsTriedOnceAndTheAllowListMergesAcrossHosts() {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: both, match: {path: {prefix: /a}, hosts: [api.example.com, \"*.example.com\"], methods: [GET]}, upstream: u}",
        "- {id: host-less, match: {path: {prefix: /a}, methods: [POST]}, upstream: u}"));

    assertEquals("405 [GET, POST]", lookup(table, "PUT", "api.example.com", "/a/x"));
    assertEquals("both", lookup(table, "GET", "api.example.com", "/a/x"));
    assertEquals("host-less", lookup(table, "POST", "api.example.com", "/a/x"));
    assertEquals("405 [POST]", lookup(table, "GET", "other.org", "/a/x"));
  }

  @Test
  void aLiteralSegmentAndAParameterAreBothTriedAndTheLongerLiteralPartWins() {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: param-then-literal, match: {path: {template: \"/a/{x}/cc\"}}, upstream: u}",
        "- {id: literal-then-param, match: {path: {template: \"/a/b/{y}\"}}, upstream: u}"));

    assertEquals("param-then-literal", lookup(table, "GET", null, "/a/b/cc"));
    assertEquals("literal-then-param", lookup(table, "GET", null, "/a/b/c"));
    assertEquals("param-then-literal", lookup(table, "GET", null, "/a/z/cc"));
    assertEquals("404", lookup(table, "GET", null, "/a//cc"));
  }

  @Test
  void aMethodRefusedOnTheMostSpecificRouteFallsToALessSpecificOneElsewhereInTheIndex() {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: exact, match: {path: {exact: /items/1}, methods: [GET]}, upstream: u}",
        "- {id: template, match: {path: {template: \"/items/{id}\"}, hosts: [api.example.com], methods: [PUT]}, upstream: u}",
        "- {id: prefix, match: {path: {prefix: /items}, methods: [DELETE]}, upstream: u}",
        "- {id: cors, match: {path: {regex: \"^/items/.*$\"}, methods: [PATCH]}, upstream: u, cors: {allow_origins: [\"*\"]}}"));

    assertEquals("template", lookup(table, "PUT", "api.example.com", "/items/1"));
    assertEquals("prefix", lookup(table, "DELETE", "api.example.com", "/items/1"));
    assertEquals("405 [DELETE, GET, PATCH]", lookup(table, "PUT", null, "/items/1"));
    assertEquals("cors", lookup(table, "OPTIONS", null, "/items/1",
        "Origin", "https://app.example", "Access-Control-Request-Method", "PUT"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      /api/     | slash-prefix
      /api/x    | slash-prefix
      /api      | prefix
      /apix     | 404
      /api/x/y  | slash-prefix
      """)
  void aPrefixEndingInASlashNeedsTheSlash(String path, String route) {
    RouteTable table = RouteMixes.table(List.of(
        "- {id: prefix, match: {path: {prefix: /api}}, upstream: u}",
        "- {id: slash-prefix, match: {path: {prefix: /api/}}, upstream: u}"));

    assertEquals(route, lookup(table, "GET", null, path));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
      ^/api/v[0-9]+/.*$   => /api/
      /api/v1/.*          => /api/v1/
      ^/orders/?$         => /
      ^/v1/it?ems/.*$     => /v1/
      ^/users/a{0,1}/x$   => /users/
      ^/api/users+/.*     => /api/
      ^/api/x|^/users/.*$ => ""
      ^.*/api/.*$         => ""
      ^(?i)/api/.*$       => ""
      ^api/x/.*           => api/x/
      """)
  void aRegexIsIndexedUnderTheLiteralDirectoryEveryMatchStartsWith(String regex, String directory) {
    assertEquals(directory, PathMatcher.Regex.leadingDirectory(regex));
  }

  /** The matched route id, {@code 404}, or {@code 405 [allowed methods]}; the scan must agree. */
  private static String lookup(RouteTable table, String method, String host, String path, String... headerPairs) {
    var headers = HttpHeaders.headers();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1]);
    }
    RouteRequest request = new RouteRequest(method, host, path, headers);
    RouteLookup lookup = request.lookUpIn(table);
    assertEquals(request.scan(table), lookup, () -> "the scan answers otherwise for " + request + " on "
        + Arrays.toString(table.routes().stream().map(CompiledRoute::id).toArray()));
    if (lookup.found()) {
      return lookup.route().id();
    }
    return lookup.methodNotAllowed() ? "405 " + lookup.allowedMethods() : "404";
  }
}
