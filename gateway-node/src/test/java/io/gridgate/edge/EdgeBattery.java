package io.gridgate.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.RawConnection;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.RecordingUpstream;
import io.gridgate.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge battery's test bed: one gateway node whose route table puts an open route, a
 * JWT-protected route, an IP-protected route and {@code path_parameters} strip/keep routes in front
 * of the same {@link RecordingUpstream}, with {@value #TRUSTED_PROXY} as its only trusted proxy.
 * {@link #check} runs one {@link EdgeCase} over a raw connection and asserts the answers, the
 * connection's close, exactly what reached the upstream, and that the node still serves a normal
 * request afterwards. Other batteries (HTTP/2, floods) can start one and use {@link #port},
 * {@link #upstream}, {@link #resolve} and {@link #assertHealthy} with their own clients.
 *
 * <p>Routes, all to the upstream {@code shared} unless said otherwise:
 * <ul>
 *   <li>{@code /app}: open; {@code /app/admin}: JWT ({@code Authorization: Bearer}, identity headers
 *       {@code X-User-Id}, {@code X-User-Roles}); {@code /app/internal}: IP allow list {@code 10.0.0.0/8};</li>
 *   <li>{@code /deny}: IP deny list {@code 203.0.113.0/24}; {@code /strip}, {@code /keep}: {@code path_parameters}
 *       strip and keep; {@code /key}: API key (header {@code X-API-Key} or query {@code apikey});
 *       {@code /qt}: JWT from the query parameter {@code access_token}; {@code /acl}: JWT and
 *       {@code allow_groups: [platinum-vault-keepers]}; {@code /tracing}: methods GET and TRACE;</li>
 *   <li>{@code /slow}: upstream {@code slow} (same server, which never answers there), 2 s total
 *       timeout; {@code /dead}: upstream {@code dead}, a port nothing listens on.</li>
 * </ul>
 * Node limits: {@code max_body_size: 1KB}; {@code client_timeouts} request_header and request_body 5 s.
 */
final class EdgeBattery implements AutoCloseable {
  /** The untrusted client address. */
  static final String CLIENT = "127.0.0.1";
  /** The one trusted proxy; a test binds its client socket to it. */
  static final String TRUSTED_PROXY = "127.0.0.2";
  /** The subject of {@code {jwt}} and {@code {query-jwt}}; its roles are {@value #ROLES}. */
  static final String SUBJECT = "alice";
  static final String ROLES = "staff";
  /** A group no token has, which an ACL refusal must not name. */
  static final String SECRET_GROUP = "platinum-vault-keepers";
  private static final String HEALTH_PATH = "/app/edge-battery-health";
  private static final String ISSUER = "https://battery.test";
  private static final String QUERY_ISSUER = "https://battery-query.test";
  private static final String SECRET = "edge-battery-hs256-secret-0123456789abcdef";
  private static final Pattern PAD = Pattern.compile("\\{pad:(\\d+)}");

  private final Vertx vertx;
  private final RecordingUpstream upstream;
  private final GatewayFixture gateway;
  private final Map<String, String> placeholders;

  private EdgeBattery(Vertx vertx, RecordingUpstream upstream, GatewayFixture gateway, Map<String, String> placeholders) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.gateway = gateway;
    this.placeholders = placeholders;
  }

  /**
   * Starts the recording upstream and a gateway node with the battery's routes on a guarded Vert.x
   * (as the node's main builds it: connection caps and client timeouts on), and registers an API key.
   */
  static EdgeBattery start() {
    Vertx vertx = EdgeVertx.builder(new VertxOptions()).build();
    RecordingUpstream upstream = RecordingUpstream.start()
        .answer(r -> r.target().startsWith("/slow") ? new RecordingUpstream.Answer.Silence()
            : RecordingUpstream.Answer.status(200, "ok"));
    int deadPort = GatewayFixture.deadPort();
    GatewayFixture gateway = new GatewayFixture(vertx);
    gateway.startGatewayWithAdmin(config(upstream, deadPort));
    JsonObject claims = TestTokens.claims(ISSUER, SUBJECT, null).put("groups", new JsonArray().add(ROLES));
    Map<String, String> placeholders = Map.of(
        "{jwt}", TestTokens.hs256(SECRET, "b1", claims),
        "{query-jwt}", TestTokens.hs256(SECRET, "q1", TestTokens.claims(QUERY_ISSUER, SUBJECT, null)),
        "{api-key}", apiKey(gateway),
        "{dead-port}", Integer.toString(deadPort),
        "{upstream-port}", Integer.toString(upstream.port()));
    return new EdgeBattery(vertx, upstream, gateway, placeholders);
  }

  private static String config(RecordingUpstream upstream, int deadPort) {
    return GatewayFixture.nodeYaml("limits: {max_body_size: 1KB}",
        "client_timeouts: {request_header: 5s, request_body: 5s}",
        "trusted_proxies: [" + TRUSTED_PROXY + "/32]") + """
        upstreams:
          shared: {targets: [{address: "%1$s"}]}
          slow: {targets: [{address: "%1$s"}]}
          dead: {targets: [{address: "127.0.0.1:%2$d"}]}
        jwt_issuers:
          battery:
            issuer: %3$s
            algorithms: [HS256]
            roles_claim: groups
            keys: [{kid: b1, algorithm: HS256, secret: "%5$s"}]
          battery-query:
            issuer: %4$s
            algorithms: [HS256]
            keys: [{kid: q1, algorithm: HS256, secret: "%5$s"}]
            token: {query: access_token}
        routes:
          - {id: open, match: {path: {prefix: /app}}, upstream: shared}
          - id: admin
            match: {path: {prefix: /app/admin}}
            upstream: shared
            auth: {jwt: {issuers: [battery]}, identity_headers: {sub: X-User-Id, roles: X-User-Roles}}
          - {id: internal, match: {path: {prefix: /app/internal}}, upstream: shared, ip_rules: {allow: [10.0.0.0/8]}}
          - {id: denylist, match: {path: {prefix: /deny}}, upstream: shared, ip_rules: {deny: [203.0.113.0/24]}}
          - {id: strip, match: {path: {prefix: /strip}}, upstream: shared, path_parameters: strip}
          - {id: keep, match: {path: {prefix: /keep}}, upstream: shared, path_parameters: keep}
          - {id: key, match: {path: {prefix: /key}}, upstream: shared, auth: {api_key: {header: X-API-Key, query: apikey}}}
          - id: query-token
            match: {path: {prefix: /qt}}
            upstream: shared
            auth: {jwt: {issuers: [battery-query]}, identity_headers: {sub: X-User-Id}}
          - id: acl
            match: {path: {prefix: /acl}}
            upstream: shared
            auth: {jwt: {issuers: [battery]}}
            acl: {allow_groups: [%6$s]}
          - {id: tracing, match: {path: {prefix: /tracing}, methods: [GET, TRACE]}, upstream: shared}
          - {id: slow, match: {path: {prefix: /slow}}, upstream: slow, timeouts: {total: 2s}}
          - {id: dead, match: {path: {prefix: /dead}}, upstream: dead}
        """.formatted(upstream.address(), deadPort, ISSUER, QUERY_ISSUER, SECRET, SECRET_GROUP);
  }

  /** A key of a consumer registered through the admin API, for the {@code /key} route. */
  private static String apiKey(GatewayFixture gateway) {
    assertEquals(200, gateway.admin(HttpMethod.PUT, "/admin/consumers/carol", "{\"groups\": []}").status());
    GatewayFixture.Reply key = gateway.admin(HttpMethod.POST, "/admin/consumers/carol/keys", null);
    assertEquals(201, key.status(), key.bodyString());
    return key.json().getString("key");
  }

  int port() {
    return gateway.port();
  }

  RecordingUpstream upstream() {
    return upstream;
  }

  /**
   * {@code template} with its placeholders filled: {@code {jwt}} (a token of the {@code /app/admin}
   * issuer for {@value #SUBJECT}), {@code {query-jwt}} (for {@code /qt}), {@code {api-key}},
   * {@code {dead-port}}, {@code {upstream-port}} and {@code {pad:N}} (N letters {@code a}).
   */
  String resolve(String template) {
    String out = template;
    for (Map.Entry<String, String> p : placeholders.entrySet()) {
      out = out.replace(p.getKey(), p.getValue());
    }
    Matcher pad = PAD.matcher(out);
    return pad.replaceAll(m -> "a".repeat(Integer.parseInt(m.group(1))));
  }

  /**
   * Sends {@code edgeCase}'s request from its address on a new connection and asserts, in turn:
   * each answer (status, error, no 100 Continue, body), the close where one is due, that the node
   * still serves a normal request, and that the upstream received exactly the requests expected.
   * When an answer is wrong, the failure also tells whether the node is still healthy and what
   * reached the upstream.
   */
  void check(EdgeCase edgeCase) {
    upstream.clear();
    EdgeCase.Outcome outcome;
    try {
      outcome = exchange(edgeCase);
    } catch (AssertionError wrongAnswer) {
      try {
        assertHealthy(edgeCase.name());
      } catch (AssertionError unhealthy) {
        wrongAnswer.addSuppressed(unhealthy);
      }
      wrongAnswer.addSuppressed(new AssertionError("the upstream received " + describe(caseRequests())));
      throw wrongAnswer;
    }
    assertHealthy(edgeCase.name());
    List<RecordingUpstream.Recorded> seen = caseRequests();
    assertEquals(outcome.upstream().size(), seen.size(), edgeCase.name() + ": requests at the upstream: " + describe(seen));
    for (int i = 0; i < seen.size(); i++) {
      outcome.upstream().get(i).assertMatches(edgeCase.name(), seen.get(i));
    }
  }

  /** Sends the case's request, checks the answers and the close, and returns the outcome they match. */
  private EdgeCase.Outcome exchange(EdgeCase edgeCase) {
    try (RawConnection connection = RawConnection.open(edgeCase.name(), edgeCase.from(), port())) {
      connection.write(resolve(edgeCase.request()));
      RawConnection.Answered answered = connection.next();
      EdgeCase.Outcome outcome = edgeCase.outcomeFor(answered.response());
      for (int i = 0; i < outcome.answers().size(); i++) {
        if (i > 0) {
          answered = connection.next();
        }
        outcome.answers().get(i).assertMatches(edgeCase.name(), answered.response(), answered.interim(), this::resolve);
      }
      if (outcome.last().closes()) {
        connection.assertClosed();
      }
      return outcome;
    }
  }

  /** What the upstream received since the case began, health checks left out. */
  private List<RecordingUpstream.Recorded> caseRequests() {
    return upstream.requests().stream().filter(r -> !r.target().equals(HEALTH_PATH)).toList();
  }

  private static String describe(List<RecordingUpstream.Recorded> requests) {
    return requests.stream().map(r -> EdgeCase.escape(r.rawString())).toList().toString();
  }

  /** A normal request on a new connection is served, and the node's {@code /ready} is up; failures start with {@code label}. */
  void assertHealthy(String label) {
    RawHttp.Response served = RawHttp.exchange(port(),
        "GET " + HEALTH_PATH + " HTTP/1.1\r\nHost: gw.test\r\nConnection: close\r\n\r\n");
    assertEquals(200, served.status(), label + ": a normal request afterwards: " + served.body());
    RawHttp.Response ready = RawHttp.exchange(gateway.node().adminPort(),
        "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertEquals(200, ready.status(), label + ": /ready afterwards: " + ready.body());
  }

  @Override
  public void close() {
    upstream.close();
    GatewayFixture.await(vertx.close());
  }
}
