package io.gridgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.admin.AdminToken;
import io.gridgate.cluster.Membership;
import io.gridgate.config.ConfigParser;
import io.gridgate.config.GatewayConfig;
import io.gridgate.node.GatewayNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push} against a real standalone node started in-process: the command runs in-process
 * too, with its arguments, environment and output streams given by the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PushCommandTest {
  private static final String TOKEN = "t";
  private static final Map<String, String> ENV = Map.of(AdminToken.ENV, TOKEN);
  private static final String ROUTE_A = """
      upstreams:
        a: {targets: [{address: "127.0.0.1:%d"}]}
        b: {targets: [{address: "127.0.0.1:%d"}]}
      routes:
        - {id: a, match: {path: {prefix: /a}}, upstream: a}
      """;
  private static final String ROUTES_A_AND_B = ROUTE_A + """
        - {id: b, match: {path: {prefix: /b}}, upstream: b}
      """;

  @TempDir
  Path dir;
  private Vertx vertx;
  private WebClient client;
  private GatewayNode node;
  private int upstreamA;
  private int upstreamB;
  private String admin;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    upstreamA = upstream("upstream-a");
    upstreamB = upstream("upstream-b");
    GatewayConfig config = new ConfigParser().parse("""
        node:
          http: {host: 127.0.0.1, port: 0}
          admin: {host: 127.0.0.1, port: 0}
          event_loops: 1
        """ + routeA());
    node = await(GatewayNode.start(vertx, config, Membership.standalone(), AdminToken.of(TOKEN), null));
    admin = "http://127.0.0.1:" + node.adminPort();
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void pushesANewVersionThatEveryMemberApplies() throws IOException {
    assertEquals(404, get("/b").statusCode());

    Result result = push(ENV, file("routes.yaml", routesAAndB()), "--admin", admin);

    assertEquals(0, result.code, result.toString());
    assertTrue(result.out.contains("as version 2 (on top of version 1)"), result.out);
    assertTrue(result.out.contains("standalone: applied (applied version 2)"), result.out);
    assertEquals(2, node.configService().appliedVersion());
    assertEquals("upstream-b", get("/b").bodyAsString());
    assertEquals(2, currentConfig().getLong("version"));
  }

  @Test
  void dryRunValidatesOnTheServerAndChangesNothing() throws IOException {
    Result result = push(ENV, file("routes.yaml", routesAAndB()), "--admin", admin, "--dry-run");

    assertEquals(0, result.code, result.toString());
    assertTrue(result.out.contains("is valid on " + admin + " (2 upstreams, 2 routes); nothing pushed"), result.out);
    assertEquals(1, node.configService().appliedVersion());
    assertEquals(1, currentConfig().getLong("version"));
    assertEquals(404, get("/b").statusCode());
  }

  @Test
  void diffListsWhatChangesAgainstTheCurrentVersion() throws IOException {
    String edited = routesAAndB().replace("a: {targets: [{address: \"127.0.0.1:" + upstreamA + "\"}]}",
        "a: {targets: [{address: \"127.0.0.1:" + upstreamA + "\", weight: 2}]}");
    Result result = push(ENV, file("routes.yaml", edited), "--admin", admin, "--diff", "--dry-run");

    assertEquals(0, result.code, result.toString());
    assertTrue(result.out.contains("changes from version 1:"), result.out);
    assertTrue(result.out.contains("+ route b (added)"), result.out);
    assertTrue(result.out.contains("~ upstream a (changed)"), result.out);
    assertFalse(result.out.contains("route a"), "an unchanged route is not listed: " + result.out);
    assertEquals(1, node.configService().appliedVersion(), "--diff --dry-run pushes nothing");

    Result same = push(ENV, file("same.yaml", routeA()), "--admin", admin, "--diff", "--dry-run");
    assertTrue(same.out.contains("no changes from version 1"), same.out);
  }

  @Test
  void anInvalidFileIsReportedWithItsPathsAndNothingIsPushed() throws IOException {
    String broken = routesAAndB().replace("upstream: b}", "upstream: orders}")
        .replace("address: \"127.0.0.1:" + upstreamA + "\"", "address: localhost");

    Result result = push(ENV, file("broken.yaml", broken), "--admin", admin);

    assertEquals(2, result.code, result.toString());
    assertTrue(result.err.contains("2 configuration error(s), nothing pushed"), result.err);
    assertTrue(result.err.contains("upstreams.a.targets[0].address: "), result.err);
    assertTrue(result.err.contains("routes[1].upstream: unknown upstream 'orders'"), result.err);
    assertEquals(1, node.configService().appliedVersion());
    assertEquals(1, currentConfig().getLong("version"));
  }

  @Test
  void aStaleBaseVersionIsAConflictAndIsNotRetried() throws IOException {
    assertEquals(0, push(ENV, file("routes.yaml", routesAAndB()), "--admin", admin).code);

    Result result = push(ENV, file("old.yaml", routeA()), "--admin", admin, "--base-version", "1");

    assertEquals(1, result.code, result.toString());
    assertTrue(result.err.contains("someone pushed version 2 since; re-run to push on top of it"), result.err);
    assertEquals(2, node.configService().appliedVersion());
    assertEquals(2, currentConfig().getLong("version"));
    assertEquals("upstream-b", get("/b").bodyAsString());
  }

  @Test
  void aWrongTokenIsRefusedAndNeverPrinted() throws IOException {
    String secret = "wrong-secret-value";
    Result result = push(Map.of(AdminToken.ENV, secret), file("routes.yaml", routesAAndB()), "--admin", admin);

    assertEquals(1, result.code, result.toString());
    assertTrue(result.err.contains("403 forbidden"), result.err);
    assertTrue(result.err.contains("the admin token is not valid"), result.err);
    assertFalse(result.toString().contains(secret), "the token is never printed");
    assertEquals(1, node.configService().appliedVersion());
  }

  @Test
  void withoutATokenTheCommandSaysWhereToPutOne() throws IOException {
    Result result = push(Map.of(), file("routes.yaml", routesAAndB()), "--admin", admin);

    assertEquals(2, result.code, result.toString());
    assertTrue(result.err.contains("no admin token: set " + AdminToken.ENV + " or pass --token-file FILE"), result.err);
  }

  @Test
  void aNodeSectionIsLeftOutAndOnlyUpstreamsAndRoutesArePushed() throws IOException {
    Path tokenFile = file("admin-token", TOKEN + "\n");
    String withNode = """
        node:
          http: {host: 0.0.0.0, port: 18080}
          event_loops: 4
        """ + routesAAndB();

    Result result = push(Map.of(), file("gateway.yaml", withNode), "--admin", admin, "--token-file", tokenFile.toString());

    assertEquals(0, result.code, result.toString());
    assertTrue(result.out.contains("has a node: section"), result.out);
    assertEquals(2, node.configService().appliedVersion());
    String document = currentConfig().getString("document");
    assertFalse(document.contains("node"), document);
    assertFalse(document.contains("18080"), document);
    assertTrue(document.contains("upstreams") && document.contains("routes"), document);
    assertEquals("upstream-b", get("/b").bodyAsString());
  }

  @Test
  void secretsArePushedAsWrittenAndTheDiffShowsNone() throws IOException {
    String jwtSecret = "jwt-secret-in-a-file-0123456789abcdef";
    Path secretFile = file("jwt-secret", jwtSecret + "\n");
    String withSecrets = routesAAndB() + """
        jwt_issuers:
          main: {issuer: "https://idp.test", algorithms: [HS256], keys: [{algorithm: HS256, secret: "${file:%s}"}]}
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: literal-client-secret}
        """.formatted(secretFile);
    Path routes = file("routes.yaml", withSecrets);

    Result pushed = push(ENV, routes, "--admin", admin, "--diff");

    assertEquals(0, pushed.code, pushed.toString());
    assertTrue(pushed.out.contains("+ jwt issuer main (added)") && pushed.out.contains("+ oauth2 server corp (added)"), pushed.out);
    assertTrue(pushed.out.contains("note: literal secrets are compared as <redacted>"), pushed.out);
    assertFalse(pushed.toString().contains(jwtSecret) || pushed.toString().contains("literal-client-secret"), pushed.toString());
    String document = currentConfig().getString("document");
    assertTrue(document.contains("${file:" + secretFile + "}") && document.contains("client_secret: <redacted>"), document);

    Result again = push(ENV, routes, "--admin", admin, "--diff", "--dry-run");
    assertTrue(again.out.contains("no changes from version 2"), "a literal secret is not a change by itself: " + again.out);
  }

  @Test
  void aReferenceTheNodeCannotResolveIsRefusedByTheNode() throws IOException {
    String withReference = routesAAndB() + """
        oauth2_servers:
          corp: {introspection_url: "http://127.0.0.1:9/introspect", client_id: gw, client_secret: "${env:GRIDGATE_TEST_UNSET}"}
        """;

    Result result = push(ENV, file("routes.yaml", withReference), "--admin", admin);

    assertEquals(1, result.code, "not resolved where push runs, refused by the node: " + result);
    assertTrue(result.err.contains("oauth2_servers.corp.client_secret: ${env:GRIDGATE_TEST_UNSET}: environment variable"
        + " GRIDGATE_TEST_UNSET is not set"), result.err);
    assertEquals(1, node.configService().appliedVersion());
  }

  @Test
  void anUnreachableAdminApiIsAClearFailure() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Result result = push(ENV, file("routes.yaml", routesAAndB()), "--admin", "http://127.0.0.1:" + closed);

    assertEquals(1, result.code, result.toString());
    assertTrue(result.err.contains("cannot reach the admin API at http://127.0.0.1:" + closed), result.err);
  }

  @Test
  void badArgumentsAreAllReportedWithTheUsage() throws IOException {
    Result result = push(ENV, file("routes.yaml", routesAAndB()), "--base-version", "x", "--bogus");

    assertEquals(2, result.code, result.toString());
    assertTrue(result.err.contains("--base-version must be a version number >= 0 (was 'x')"), result.err);
    assertTrue(result.err.contains("unknown argument '--bogus'"), result.err);
    assertTrue(result.err.contains("--admin URL is required"), result.err);
    assertTrue(result.err.contains("usage:"), result.err);
  }

  private record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
  }

  private Result push(Map<String, String> env, Path file, String... flags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>();
    args.add(file.toString());
    args.addAll(Arrays.asList(flags));
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = PushCommand.run(args, env, o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private String routeA() {
    return ROUTE_A.formatted(upstreamA, upstreamB);
  }

  private String routesAAndB() {
    return ROUTES_A_AND_B.formatted(upstreamA, upstreamB);
  }

  private JsonObject currentConfig() {
    HttpResponse<Buffer> response = await(client.get(node.adminPort(), "127.0.0.1", "/admin/config")
        .bearerTokenAuthentication(TOKEN).send());
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> get(String path) {
    return await(client.get(node.httpPort(), "127.0.0.1", path).send());
  }

  private int upstream(String name) {
    HttpServer server = await(vertx.createHttpServer()
        .requestHandler(req -> req.response().end(name)).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
