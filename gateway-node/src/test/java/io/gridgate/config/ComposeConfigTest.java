package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code routes[].compose}: every field, the upstream-or-compose rule, and each error at its YAML path. */
class ComposeConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String document(String route) {
    return """
        upstreams:
          users: {targets: [{address: "127.0.0.1:9000"}]}
          orders: {targets: [{address: "127.0.0.1:9001"}]}
        routes:
          - %s
        """.formatted(route);
  }

  @Test
  void everyFieldIsReadAndAComposedRouteHasNoUpstream() {
    RouteSpec route = parser.parse(document("{id: d, match: {path: {template: \"/d/{user}\"}, methods: [GET]}, compose: {"
        + "parts: [{name: profile, upstream: users, path: \"/users/{user}\"},"
        + " {name: orders, upstream: orders, path: \"/orders?user={user}\", optional: true}], max_body_size: 64KB}}")).routes().get(0);

    assertNull(route.upstream());
    assertEquals(new ComposeSpec(List.of(new ComposePart("profile", "users", "/users/{user}", false),
        new ComposePart("orders", "orders", "/orders?user={user}", true)), 64 * 1024), route.compose());
  }

  @Test
  void aRouteHasEitherAnUpstreamOrACompositionAndComposesOnlyGetAndHead() {
    Map<String, String> errors = errors("{id: d, match: {path: {prefix: /d}, methods: [POST]}, upstream: users,"
        + " compose: {parts: [{name: p, upstream: users, path: /u}]}}");
    assertEquals("a route has either upstream or compose, not both", errors.get("routes[0].upstream"), errors.toString());
    assertTrue(errors.get("routes[0].compose").contains("GET and HEAD only"), errors.toString());

    assertEquals(Map.of("routes[0].upstream", "is required"), errors("{id: d, match: {path: {prefix: /d}}}"));
  }

  @Test
  void partErrorsNameTheirField() {
    Map<String, String> errors = errors("{id: d, match: {path: {template: \"/d/{user}\"}, methods: [GET]}, compose: {parts: ["
        + "{name: p, upstream: nowhere, path: \"/u/{id}\"}, {name: p, upstream: users, path: relative, retries: 2}]}}");
    assertEquals("unknown upstream 'nowhere'", errors.get("routes[0].compose.parts[0].upstream"), errors.toString());
    assertTrue(errors.get("routes[0].compose.parts[0].path").contains("uses {id}"), errors.toString());
    assertEquals("duplicate part name 'p'", errors.get("routes[0].compose.parts[1].name"), errors.toString());
    assertEquals("must start with '/'", errors.get("routes[0].compose.parts[1].path"), errors.toString());
    assertTrue(errors.get("routes[0].compose.parts[1].retries").contains("unknown field"), errors.toString());

    assertTrue(errors("{id: d, match: {path: {prefix: /d}, methods: [GET]}, compose: {parts: []}}")
        .get("routes[0].compose.parts").contains("1 to 16 parts"));
  }

  private Map<String, String> errors(String route) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(document(route)));
    return e.errors().stream().collect(Collectors.toMap(ConfigError::path, ConfigError::reason, (a, b) -> a + "; " + b));
  }
}
