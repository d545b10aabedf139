package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code routes[].request_transform} and {@code response_transform}: defaults, every field, and each error at its YAML path. */
class TransformConfigTest {
  private final ConfigParser parser = new ConfigParser();

  private static String document(String routeExtras) {
    return """
        upstreams:
          app: {targets: [{address: "127.0.0.1:9000"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: app%s}
        """.formatted(routeExtras);
  }

  private RouteSpec route(String routeExtras) {
    return parser.parse(document(routeExtras)).routes().get(0);
  }

  @Test
  void noTransformByDefault() {
    RouteSpec route = route("");
    assertEquals(RequestTransform.NONE, route.requestTransform());
    assertEquals(ResponseTransform.NONE, route.responseTransform());
  }

  @Test
  void everyFieldIsRead() {
    RouteSpec route = route(", request_transform: {query: {rename: {q: search}, remove: [debug], set: {v: 2}, add: {tag: gw}},"
        + " body: {rename: {user.pwd: user.password}, remove: [internal], set: {meta: {source: gw, tags: [a, 1]}}, add: {n: null}},"
        + " max_body_size: 64KB}, response_transform: {body: {remove: [password]}, max_body_size: 2MB}");

    RequestTransform request = route.requestTransform();
    assertEquals(new HeaderOps(Map.of("q", "search"), List.of("debug"), Map.of("v", "2"), Map.of("tag", "gw")), request.query());
    assertEquals(Map.of("user.pwd", "user.password"), request.body().rename());
    assertEquals(List.of("internal"), request.body().remove());
    assertEquals(Map.of("meta", Map.of("source", "gw", "tags", List.of("a", 1))), request.body().set());
    assertTrue(request.body().add().containsKey("n"));
    assertEquals(64 * 1024, request.maxBodySize());
    assertEquals(new ResponseTransform(new JsonFieldOps(Map.of(), List.of("password"), Map.of(), Map.of()), 2 * 1024 * 1024),
        route.responseTransform());
  }

  @Test
  void errorsNameTheirField() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(document(
        ", request_transform: {body: {remove: [a..b], set: {\" x\": 1}}, headers: {}, max_body_size: 0},"
            + " response_transform: {max_body_size: 1KB}")));
    Map<String, String> errors = e.errors().stream()
        .collect(Collectors.toMap(ConfigError::path, ConfigError::reason, (a, b) -> a + "; " + b));
    assertTrue(errors.get("routes[0].request_transform.body.remove[0]").contains("field path"), errors.toString());
    assertTrue(errors.get("routes[0].request_transform.body.set. x").contains("field path"), errors.toString());
    assertTrue(errors.get("routes[0].request_transform.headers").contains("unknown field"), errors.toString());
    assertTrue(errors.get("routes[0].request_transform.max_body_size").contains("between 1 byte and 64MB"), errors.toString());
    assertEquals("is required", errors.get("routes[0].response_transform.body"), errors.toString());
  }

  @Test
  void aTransformThatChangesNothingIsAnError() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> parser.parse(document(", request_transform: {max_body_size: 1MB}")));
    assertEquals(List.of(new ConfigError("routes[0].request_transform", "must change the query or the body")), e.errors());
  }
}
