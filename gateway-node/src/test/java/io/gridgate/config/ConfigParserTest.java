package io.gridgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.config.UpstreamSpec.BalancingStrategy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and whole-document validation of the YAML configuration, including the CLI's exit codes. */
class ConfigParserTest {
  private static final Path DEMO = Path.of("../cluster-config/gateway.yaml");

  /** The smallest valid document: one upstream with one target and one catch-all route. */
  private static final String MINIMAL = """
      upstreams:
        u: {targets: [{address: "10.0.0.1:8080"}]}
      routes:
        - {id: r, match: {path: {prefix: /}}, upstream: u}
      """;

  /** One document with fifteen different mistakes; the comment on each line names the mistake. */
  private static final String MANY_ERRORS = """
      node:
        http: {host: 127.0.0.1, port: 70000}                # port out of range
        trusted_proxies: [10.0.0.0/8, 10.0.0.0/33]          # prefix too long
        drain_timeout: 10 seconds                           # not a duration
      upstreams:
        users:
          targets:
            - {address: localhost}                          # no port
        sticky:
          strategy: consistent_hash                         # without hash_on
          targets: [{address: "127.0.0.1:9001"}]
      routes:
        - id: users
          match: {path: {prefix: /users}}
          upstream: users
        - id: users                                         # duplicate id
          match: {path: {regex: "^/api/("}}                 # bad regex
          upstream: users
        - id: orders
          match: {path: {template: "/orders/{id"}}          # bad template
          upstream: orders                                  # unknown upstream
        - id: nopath
          match: {methods: [GET]}                           # no path
          upstream: users
          retires: {attempts: 2}                            # misspelt field
        - id: headers
          match:
            path: {exact: /h}
            headers: [{name: "X Bad", present: true}]       # not a token
          upstream: users
          rewrite: {strip_prefix: true}                     # exact path cannot be stripped
        - id: groups
          match: {path: {prefix: /g}}
          upstream: users
          rewrite: {regex: "^/g/(.*)$", replacement: "/$2"} # only one group
        - id: noreplacement
          match: {path: {prefix: /r}}
          upstream: users
          rewrite: {regex: "^/r/(.*)$"}                     # regex needs a replacement
      """;

  private static final List<String> MANY_ERRORS_EXPECTED = List.of(
      "node.http.port: must be between 0 and 65535 (was 70000)",
      "node.trusted_proxies[1]: prefix length must be 0..32 in '10.0.0.0/33'",
      "node.drain_timeout: must be a duration such as 500ms, 2s, 5m or 1h (was '10 seconds')",
      "upstreams.users.targets[0].address: must be host:port with a port 1..65535 (was 'localhost')",
      "upstreams.sticky.hash_on: is required with strategy consistent_hash",
      "routes[1].id: duplicate route id 'users'",
      "routes[1].match.path.regex: invalid regex: Unclosed group near index 7",
      "routes[2].match.path.template: a template parameter must be a whole segment such as /{id} (bad segment '{id')",
      "routes[2].upstream: unknown upstream 'orders'",
      "routes[3].match.path: is required: {exact|prefix|template|regex: ...}",
      "routes[3].retires: unknown field (allowed: …)", // the list grows with every route feature; see ALLOWED
      "routes[4].match.headers[0].name: not a valid header name: 'X Bad'",
      "routes[4].rewrite.strip_prefix: needs a prefix path match (match.path is exact)",
      "routes[5].rewrite.replacement: refers to group $2 but the regex has 1",
      "routes[6].rewrite.replacement: is required with regex");

  private static final Pattern ALLOWED = Pattern.compile("\\(allowed: [^)]*\\)");
  private final ConfigParser parser = new ConfigParser();

  @Test
  void demoFileParses() {
    GatewayConfig config = parser.parseFile(DEMO);

    NodeSettings node = config.node();
    assertEquals(new Listener("127.0.0.1", 8080), node.http());
    assertEquals(new Listener("127.0.0.1", 9901), node.admin());
    assertEquals(new RequestLimits(16 * 1024, 4096, 10L * 1024 * 1024, RequestLimits.DEFAULT_REQUEST_BUFFER_SIZE, RequestLimits.DEFAULT_REQUEST_BUFFER_MEMORY), node.limits());
    assertEquals(List.of(Cidr.parse("127.0.0.2/32")), node.trustedProxies());
    assertTrue(node.isTrustedProxy("127.0.0.2"));
    assertEquals(Duration.ofSeconds(10), node.drainTimeout());

    assertEquals(Set.of("hello", "weighted", "sticky"), config.upstreams().keySet());
    UpstreamSpec hello = config.upstreams().get("hello");
    assertEquals(BalancingStrategy.ROUND_ROBIN, hello.strategy());
    assertEquals(List.of("127.0.0.1:18081", "127.0.0.1:18082", "127.0.0.1:18083"),
        hello.targets().stream().map(TargetSpec::address).toList());
    assertEquals(new ActiveHealthCheck("/health", Duration.ofSeconds(2), Duration.ofSeconds(1), 1, 2),
        hello.activeHealthCheck());
    assertEquals(new PassiveHealthCheck(3, Duration.ofSeconds(5), Duration.ofMinutes(1)), hello.passiveHealthCheck());
    UpstreamSpec weighted = config.upstreams().get("weighted");
    assertEquals(BalancingStrategy.WEIGHTED_ROUND_ROBIN, weighted.strategy());
    assertEquals(List.of(3, 1), weighted.targets().stream().map(TargetSpec::weight).toList());
    UpstreamSpec sticky = config.upstreams().get("sticky");
    assertEquals(BalancingStrategy.CONSISTENT_HASH, sticky.strategy());
    assertEquals(new HashOn(HashOn.Source.HEADER, "X-User"), sticky.hashOn());

    assertEquals(List.of("hello", "users", "canary", "weighted", "sticky", "admin-host", "ws", "overview", "cached"),
        config.routes().stream().map(RouteSpec::id).toList());
    assertEquals(List.of("hello", "weighted"),
        route(config, "overview").compose().parts().stream().map(ComposePart::upstream).toList());
    RouteSpec helloRoute = route(config, "hello");
    assertEquals(new PathPattern(PathPattern.Kind.PREFIX, "/api/hello"), helloRoute.match().path());
    assertEquals(Set.of("GET", "HEAD"), helloRoute.match().methods());
    assertEquals(new RewriteSpec(false, "^/api/(.*)$", "/$1"), helloRoute.rewrite());
    assertEquals(Map.of("X-Gateway", "gridgate"), helloRoute.responseHeaders().add());
    RouteSpec canary = route(config, "canary");
    assertEquals(10, canary.priority());
    assertEquals(List.of(new HeaderPredicate("X-Canary", HeaderPredicate.Kind.EQUALS, "true")),
        canary.match().headers());
    assertEquals(Map.of("X-Release", "canary"), canary.requestHeaders().set());
    RouteSpec adminHost = route(config, "admin-host");
    assertEquals(List.of("*.internal.example"), adminHost.match().hosts());
    assertEquals(HostHeader.PRESERVE, adminHost.hostHeader());
    assertEquals(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30)),
        adminHost.timeouts());
    assertEquals(new RetryPolicy(2), adminHost.retries());
    assertEquals(new RewriteSpec(false, null, "/v2/accounts/{id}"), route(config, "users").rewrite());
    assertEquals(new RewriteSpec(true, null, null), route(config, "weighted").rewrite());
    assertEquals(32L * 1024 * 1024, node.cacheMaxSize());
    assertEquals(new EventBusSettings("127.0.0.1", 5801, null, 0), node.cluster().eventBus());
    assertEquals(ConfigSource.FILE, node.cluster().configSource(), "./gridgate.sh demo serves edits to its file");
    assertEquals(new CacheSpec(Duration.ofSeconds(30), Set.of("GET", "HEAD"), Set.of(200, 301, 404),
        List.of("accept-language"), CacheSpec.QueryKey.ALL, 1024 * 1024, true), route(config, "cached").cache());
  }

  @Test
  void defaultsAreAppliedToAMinimalDocument() {
    GatewayConfig config = parser.parse(MINIMAL);

    NodeSettings node = config.node();
    assertEquals(new Listener("127.0.0.1", 8080), node.http());
    assertEquals(new Listener("127.0.0.1", 9901), node.admin());
    assertEquals(Runtime.getRuntime().availableProcessors(), node.eventLoops());
    assertEquals(new RequestLimits(8192, 4096, 100L * 1024 * 1024, RequestLimits.DEFAULT_REQUEST_BUFFER_SIZE, RequestLimits.DEFAULT_REQUEST_BUFFER_MEMORY), node.limits());
    assertEquals(new ConnectionLimits(10_000, 256, 100, Duration.ofSeconds(30)), node.connections());
    assertEquals(new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 1024),
        node.clientTimeouts());
    assertEquals(List.of(), node.trustedProxies());
    assertEquals(Duration.ofSeconds(30), node.drainTimeout());
    assertEquals(EventBusSettings.defaults(), node.cluster().eventBus());
    assertEquals(ConfigSource.CLUSTER, node.cluster().configSource());

    UpstreamSpec upstream = config.upstreams().get("u");
    assertEquals(List.of(new TargetSpec("10.0.0.1", 8080, 1)), upstream.targets());
    assertEquals(BalancingStrategy.ROUND_ROBIN, upstream.strategy());
    assertEquals(HashOn.CLIENT, upstream.hashOn());
    assertEquals(new PoolSpec(128, 1024, Duration.ofSeconds(60)), upstream.pool());
    assertEquals(UpstreamSpec.Protocol.HTTP1, upstream.protocol());
    assertNull(upstream.activeHealthCheck());
    assertEquals(new PassiveHealthCheck(5, Duration.ofSeconds(10), Duration.ofMinutes(5)),
        upstream.passiveHealthCheck());

    RouteSpec route = config.routes().get(0);
    assertEquals(0, route.priority());
    assertEquals(new MatchSpec(new PathPattern(PathPattern.Kind.PREFIX, "/"), List.of(), Set.of(), List.of()),
        route.match());
    assertEquals(RewriteSpec.NONE, route.rewrite());
    assertEquals(HeaderOps.NONE, route.requestHeaders());
    assertEquals(HeaderOps.NONE, route.responseHeaders());
    assertEquals(HostHeader.TARGET, route.hostHeader());
    assertEquals(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(5)),
        route.timeouts());
    assertEquals(new RetryPolicy(1), route.retries());
    assertEquals(PathParameters.REJECT, route.pathParameters());
    assertTrue(route.requestBuffering());
  }

  @Test
  void clusterEventBusAndConfigSourceAreParsedAndValidatedByField() {
    NodeSettings node = parser.parse("""
        node:
          cluster:
            event_bus: {host: 10.1.2.3, port: 5801, public_host: gw-0.example, public_port: 15801}
            config_source: file
        """ + MINIMAL).node();
    assertEquals(new EventBusSettings("10.1.2.3", 5801, "gw-0.example", 15801), node.cluster().eventBus());
    assertEquals(ConfigSource.FILE, node.cluster().configSource());

    assertEquals(sorted(List.of(
            "node.cluster.config_source: must be one of [cluster, file] (was 'git')",
            "node.cluster.event_bus.host: must be a host name or an IP address (was 'a b')",
            "node.cluster.event_bus.port: must be between 0 and 65535 (was 70000)",
            "node.cluster.event_bus.public_port: must be between 0 and 65535 (was -1)",
            "node.cluster.event_bus.portt: unknown field (allowed: host, port, public_host, public_port)")),
        sorted(errorsOf("""
            node:
              cluster:
                event_bus: {host: "a b", port: 70000, public_port: -1, portt: 1}
                config_source: git
            """ + MINIMAL)));
  }

  @Test
  void valueFormatsAreParsed() {
    GatewayConfig config = parser.parse("""
        node:
          limits: {max_header_size: 16KB, max_uri_length: 2048, max_body_size: 1GiB, request_buffer_size: 8KB,
                   request_buffer_memory: 1MB, max_connections: 500, max_connections_per_client: 20, max_concurrent_streams: 50,
                   flood_cooldown: 2m}
          client_timeouts: {request_header: 5s, keep_alive: 30s, request_body: 20s, min_body_rate: 2KB}
          trusted_proxies: [10.0.0.0/8, "fd00::/8", 192.168.1.7]
          drain_timeout: 1500ms
        upstreams:
          u:
            targets: [{address: "[::1]:8080", weight: 3}]
            health_check: {passive: {max_failures: 0, ejection: 1m, max_ejection: 2h}}
        routes:
          - id: r
            match: {path: {template: "/users/{id}"}, methods: [get, Post], hosts: ["*.example.com"]}
            upstream: u
            host_header: api.internal:8443
            path_parameters: keep
            request_buffering: false
        """);

    NodeSettings node = config.node();
    assertEquals(new RequestLimits(16 * 1024, 2048, 1024L * 1024 * 1024, 8 * 1024, 1024 * 1024), node.limits());
    assertEquals(new ConnectionLimits(500, 20, 50, Duration.ofMinutes(2)), node.connections());
    assertEquals(new ClientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(20), 2048),
        node.clientTimeouts());
    assertEquals(Duration.ofMillis(1500), node.drainTimeout());
    assertTrue(node.isTrustedProxy("10.200.3.4"));
    assertTrue(node.isTrustedProxy("fd00::1"));
    assertTrue(node.isTrustedProxy("192.168.1.7"));
    assertFalse(node.isTrustedProxy("192.168.1.8"));
    UpstreamSpec upstream = config.upstreams().get("u");
    assertEquals(List.of(new TargetSpec("::1", 8080, 3)), upstream.targets());
    assertEquals(new PassiveHealthCheck(0, Duration.ofMinutes(1), Duration.ofHours(2)), upstream.passiveHealthCheck());
    RouteSpec route = config.routes().get(0);
    assertEquals(Set.of("GET", "POST"), route.match().methods());
    assertEquals(new HostHeader(HostHeader.Mode.FIXED, "api.internal:8443"), route.hostHeader());
    assertEquals(PathParameters.KEEP, route.pathParameters());
    assertFalse(route.requestBuffering());
  }

  @Test
  void jsonDocumentsAreAccepted() {
    GatewayConfig config = parser.parse("""
        {"upstreams": {"u": {"targets": [{"address": "10.0.0.1:8080"}]}},
         "routes": [{"id": "r", "match": {"path": {"exact": "/x"}}, "upstream": "u"}]}
        """);

    assertEquals(new PathPattern(PathPattern.Kind.EXACT, "/x"), config.routes().get(0).match().path());
  }

  @Test
  void everyErrorOfADocumentIsReportedTogetherWithItsPath() {
    List<String> errors = errorsOf(MANY_ERRORS);
    assertEquals(sorted(MANY_ERRORS_EXPECTED), sorted(errors.stream().map(ConfigParserTest::withoutAllowedList).toList()));
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("routes[3].retires: unknown field (allowed: ")
        && e.contains(" retries,")), "an unknown field lists the allowed ones: " + errors);
  }

  /** An unknown-field error with its list of allowed fields shortened to "…". */
  private static String withoutAllowedList(String error) {
    return ALLOWED.matcher(error).replaceAll("(allowed: …)");
  }

  @Test
  void shorthandIpv4LiteralsAreNotAcceptedAsTrustedProxies() {
    // Java's InetAddress would read "10.1" as 10.0.0.1, silently trusting 10.0.0.0/16 instead of 10.1.0.0/16.
    assertEquals(List.of(
            "node.trusted_proxies[0]: not an IP address or CIDR block: '10.1/16'",
            "node.trusted_proxies[1]: not an IP address or CIDR block: 'cafe'"),
        errorsOf(MINIMAL + "node: {trusted_proxies: [10.1/16, cafe]}\n"));
  }

  @Test
  void emptyUpstreamsAndRoutesAreRejectedLikeMissingOnes() {
    assertEquals(List.of(
            "upstreams: is required: at least one upstream",
            "routes: is required: at least one route"),
        errorsOf("upstreams: {}\nroutes: []\n"));
    assertEquals(List.of(
            "upstreams: is required: at least one upstream",
            "routes: is required: at least one route"),
        errorsOf("node: {drain_timeout: 5s}\n"));
  }

  @Test
  void upstreamProtocolIsHttp1OrHttp2() {
    GatewayConfig config = parser.parse("""
        upstreams:
          grpc: {protocol: http2, targets: [{address: "10.0.0.1:50051"}]}
          rest: {protocol: HTTP1, targets: [{address: "10.0.0.2:8080"}]}
        routes:
          - {id: r, match: {path: {prefix: /}}, upstream: grpc}
        """);
    assertEquals(UpstreamSpec.Protocol.HTTP2, config.upstreams().get("grpc").protocol());
    assertEquals(UpstreamSpec.Protocol.HTTP1, config.upstreams().get("rest").protocol());

    assertEquals(List.of(
            "upstreams.grpc.protocol: must be one of [http1, http2] (was 'h3')",
            "upstreams.rest.protocol: must be one of [http1, http2] (was '[http2]')"),
        errorsOf("""
            upstreams:
              grpc: {protocol: h3, targets: [{address: "10.0.0.1:50051"}]}
              rest: {protocol: [http2], targets: [{address: "10.0.0.2:8080"}]}
            routes:
              - {id: r, match: {path: {prefix: /}}, upstream: grpc}
            """));
  }

  @Test
  void hugeDurationsAndSizesAreErrorsNotOverflows() {
    assertEquals(List.of(
            "node.limits.max_body_size: is too large (was '99999999999GB')",
            "routes[0].timeouts.idle: must be at most 365 days (was '99999999999999999999s')",
            "routes[0].timeouts.total: must be at most 365 days (was '3000000h')"),
        errorsOf("""
            node: {limits: {max_body_size: 99999999999GB}}
            upstreams:
              u: {targets: [{address: "10.0.0.1:8080"}]}
            routes:
              - {id: r, match: {path: {prefix: /}}, upstream: u, timeouts: {total: 3000000h, idle: 99999999999999999999s}}
            """));
  }

  @Test
  void rewritePlaceholdersMustReferToSomethingThatExists() {
    String routes = """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: a, match: {path: {prefix: /a}}, upstream: u, rewrite: {replacement: "/x/$1"}}
          - {id: b, match: {path: {template: "/b/{id}"}}, upstream: u, rewrite: {replacement: "/x/{name}"}}
          - {id: c, match: {path: {template: "/c/{id}"}}, upstream: u, rewrite: {replacement: "/x/{id}"}}
        """;
    assertEquals(List.of(
            "routes[0].rewrite.replacement: refers to a regex group but no regex is given",
            "routes[1].rewrite.replacement: uses {name} but the path template declares no such parameter"),
        errorsOf(routes));
  }

  @Test
  void aRewriteCannotProduceATargetNoRequestLineCanCarry() {
    String routes = """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: a, match: {path: {prefix: /a}}, upstream: u, rewrite: {replacement: "/x y"}}
          - {id: b, match: {path: {prefix: /b}}, upstream: u, rewrite: {replacement: "/x#y"}}
          - {id: c, match: {path: {prefix: /c}}, upstream: u, rewrite: {replacement: "/caf\u00e9"}}
          - {id: d, match: {path: {prefix: /d}}, upstream: u, rewrite: {replacement: "/caf%C3%A9"}}
        """;
    String error = "rewrite.replacement: must not contain spaces, control characters, non-ASCII characters or '#' "
        + "(percent-encode them)";
    assertEquals(List.of("routes[0]." + error, "routes[1]." + error, "routes[2]." + error), errorsOf(routes));
  }

  @Test
  void routesCannotSetFramingHeadersOrControlCharacters() {
    String routes = """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - id: a
            match: {path: {prefix: /a}}
            upstream: u
            request_headers: {set: {Transfer-Encoding: chunked}, add: {Connection: x}, remove: [Upgrade]}
            response_headers: {set: {Content-Length: "5", X-Tab: "a\tb"}, rename: {X-Old: Keep-Alive}}
          - {id: b, match: {path: {prefix: /b}}, upstream: u, response_headers: {set: {X-Vt: "a\\x0bb", X-Del: "a\\x7fb", X-Bin: !!binary aGk=}}}
        """;
    String framing = "' describes the message's framing or connection and is set by the gateway, not by routes";
    assertEquals(List.of(
            "routes[0].request_headers.set.Transfer-Encoding: 'Transfer-Encoding" + framing,
            "routes[0].request_headers.add.Connection: 'Connection" + framing,
            "routes[0].response_headers.rename.X-Old: 'Keep-Alive" + framing,
            "routes[0].response_headers.set.Content-Length: 'Content-Length" + framing,
            "routes[1].response_headers.set.X-Vt: header value must not contain control characters (only HTAB is allowed)",
            "routes[1].response_headers.set.X-Del: header value must not contain control characters (only HTAB is allowed)",
            "routes[1].response_headers.set.X-Bin: must be printable text"),
        errorsOf(routes));
  }

  @Test
  void keptPathParametersCannotBeRewrittenOrComposed() {
    String routes = """
        upstreams:
          u: {targets: [{address: "10.0.0.1:8080"}]}
        routes:
          - {id: a, match: {path: {prefix: /a}}, upstream: u, path_parameters: keep, rewrite: {strip_prefix: true}}
          - {id: b, match: {path: {prefix: /b}}, upstream: u, path_parameters: keep}
          - {id: c, match: {path: {prefix: /c}}, upstream: u, path_parameters: strip, rewrite: {strip_prefix: true}}
        """;
    assertEquals(List.of("routes[0].path_parameters: keep forwards the path as the client sent it, so it cannot be "
        + "combined with rewrite or compose (use strip)"), errorsOf(routes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"routes: [unclosed\n", "upstreams: {}\nupstreams: {}\n", "a: b: c\n"})
  void invalidYamlSyntaxGivesOneClearError(String document) {
    List<ConfigError> errors = assertThrows(InvalidConfigException.class, () -> parser.parse(document)).errors();

    assertEquals(1, errors.size(), errors.toString());
    assertEquals("(document)", errors.get(0).path());
    assertTrue(errors.get(0).reason().startsWith("not valid YAML: "), errors.get(0).reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   \n\n", "# only a comment\n", "---\n"})
  void emptyDocumentIsAnError(String document) {
    assertEquals(List.of("(document): document is empty"), errorsOf(document));
  }

  @Test
  void unreadableFileIsReportedWithItsName(@TempDir Path dir) {
    Path missing = dir.resolve("missing.yaml");

    List<ConfigError> errors =
        assertThrows(InvalidConfigException.class, () -> parser.parseFile(missing)).errors();

    assertEquals(1, errors.size());
    assertEquals(missing.toString(), errors.get(0).path());
    assertTrue(errors.get(0).reason().startsWith("cannot read: "), errors.get(0).reason());
  }

  @Test
  void entryPointRejectsAnInvalidFileWithExitCode2AndListsEveryError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("broken.yaml"), MANY_ERRORS);

    ProcessResult result = runGridGate(dir, "--config", file.toString());

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().startsWith(file + ": 15 configuration error(s):"), result.stderr());
    String stderr = withoutAllowedList(result.stderr());
    for (String error : MANY_ERRORS_EXPECTED) {
      assertTrue(stderr.contains("\n  " + error + "\n"), "missing '" + error + "' in " + result.stderr());
    }
  }

  @Test
  void entryPointValidatesAValidFileWithExitCode0(@TempDir Path dir) throws Exception {
    ProcessResult result = runGridGate(dir, "validate", DEMO.toString());

    assertEquals(0, result.exitCode(), result.toString());
    assertEquals(DEMO + " is valid: 3 upstreams, 9 routes", result.stdout().strip());
  }

  private List<String> errorsOf(String document) {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(document));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  private static RouteSpec route(GatewayConfig config, String id) {
    return config.routes().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private record ProcessResult(int exitCode, String stdout, String stderr) {}

  /** Runs {@code io.gridgate.GridGate} in a fresh JVM on the test class path. */
  private static ProcessResult runGridGate(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        "io.gridgate.GridGate"));
    command.addAll(List.of(args));
    File out = dir.resolve("stdout.txt").toFile();
    File err = dir.resolve("stderr.txt").toFile();
    Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("GridGate did not exit within 60s: " + command);
    }
    return new ProcessResult(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
  }
}
