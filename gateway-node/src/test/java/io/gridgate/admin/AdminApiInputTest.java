package io.gridgate.admin;

import static io.gridgate.testing.GatewayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridgate.testing.GatewayFixture;
import io.gridgate.testing.LogCapture;
import io.gridgate.testing.RawHttp;
import io.gridgate.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API reads documents and JSON bodies as sent, whatever their Content-Type, up to each
 * endpoint's limit (JSON 413 beyond it), and answers every client error with JSON without logging
 * a SEVERE line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminApiInputTest {
  private static final int MIB = 1024 * 1024;
  private static final String FORM = "application/x-www-form-urlencoded";

  private Vertx vertx;
  private GatewayFixture gw;
  private TestUpstream app;
  private LogCapture logs;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    gw = new GatewayFixture(vertx);
    app = gw.echoUpstream("app");
    gw.startGatewayWithAdmin(GatewayFixture.nodeYaml() + document(1));
    logs = LogCapture.onRootLogger();
  }

  @AfterEach
  void tearDown() {
    logs.close();
    await(vertx.close());
    assertEquals(List.of(), logs.linesWith(" SEVERE "), "client errors are not logged as SEVERE");
  }

  /** A shared document: upstream app and routes /r0 ... /r(n-1). */
  private String document(int routes) {
    StringBuilder yaml = new StringBuilder("upstreams:\n  app: {targets: [{address: \"" + app.address() + "\"}]}\nroutes:\n");
    for (int i = 0; i < routes; i++) {
      yaml.append("  - {id: r").append(i).append(", match: {path: {prefix: /r").append(i).append("}}, upstream: app}\n");
    }
    return yaml.toString();
  }

  /** A valid document of exactly {@code bytes} bytes (one route, then a comment). */
  private String documentOfSize(int bytes) {
    String document = document(1);
    return document + "#" + "x".repeat(bytes - document.length() - 2) + "\n";
  }

  private GatewayFixture.Reply send(HttpMethod method, String uri, String contentType, String body) {
    RequestOptions options = gw.adminRequest(method, uri);
    if (!contentType.isEmpty()) {
      options.putHeader("Content-Type", contentType);
    }
    return GatewayFixture.send(gw.client(), options, body == null ? null : Buffer.buffer(body));
  }

  private static JsonObject assertJsonError(GatewayFixture.Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply.bodyString());
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.headers().toString());
    JsonObject body = reply.json();
    assertEquals(error, body.getString("error"), body.encode());
    assertTrue(body.getString("message") != null && !body.getString("message").isBlank(), body.encode());
    return body;
  }

  @ParameterizedTest
  @ValueSource(strings = {FORM, "multipart/form-data; boundary=x", "text/plain", "application/json", ""})
  void aDocumentIsReadAsSentWhateverItsContentType(String contentType) {
    String document = document(900);
    assertTrue(document.length() > 50 * 1024, "a document of " + document.length() + " bytes");

    GatewayFixture.Reply validated = send(HttpMethod.POST, "/admin/config/validate", contentType, document);
    assertEquals(200, validated.status(), validated.bodyString());
    assertEquals(900, validated.json().getInteger("routes"));

    GatewayFixture.Reply pushed = send(HttpMethod.PUT, "/admin/config?base_version=1", contentType, document);
    assertEquals(200, pushed.status(), pushed.bodyString());
    assertEquals(2, pushed.json().getLong("version"));
    assertEquals(200, gw.get("/r899").status(), "the pushed routes are served");
  }

  @Test
  void aDocumentOfExactlyOneMebibyteIsRead() {
    GatewayFixture.Reply validated = send(HttpMethod.POST, "/admin/config/validate", FORM, documentOfSize(MIB));
    assertEquals(200, validated.status(), validated.bodyString());
  }

  @Test
  void aLargerDeclaredDocumentGets413AndChangesNothing() {
    JsonObject body = assertJsonError(send(HttpMethod.PUT, "/admin/config?base_version=1", FORM, documentOfSize(MIB + 1)),
        413, "body_too_large");
    assertTrue(body.getString("message").contains(String.valueOf(MIB)), body.encode());
    assertEquals(1, gw.node().configService().appliedVersion());
    assertEquals(200, gw.admin(HttpMethod.GET, "/admin/node", null).status(), "the admin API still answers");
  }

  @Test
  void aLargerChunkedDocumentGets413() {
    RequestOptions options = gw.adminRequest(HttpMethod.PUT, "/admin/config?base_version=1").putHeader("Content-Type", FORM);
    GatewayFixture.Reply reply = await(GatewayFixture.exchange(gw.client(), options,
        request -> GatewayFixture.sendChunked(request, 17, "#".repeat(64 * 1024)), GatewayFixture::reply));
    assertJsonError(reply, 413, "body_too_large");
    assertEquals(1, gw.node().configService().appliedVersion());
  }

  @Test
  void aLargerDocumentAnnouncedWithExpectGets413Without100Continue() throws IOException {
    try (Socket socket = RawHttp.send(gw.node().adminPort(), "PUT /admin/config?base_version=1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer " + GatewayFixture.ADMIN_TOKEN + "\r\nContent-Type: " + FORM + "\r\n"
        + "Content-Length: " + (2 * MIB) + "\r\nExpect: 100-continue\r\n\r\n")) {
      InputStream in = socket.getInputStream();
      RawHttp.Response response = RawHttp.read(in);
      assertEquals(413, response.status(), "no 100 Continue before the refusal");
      assertEquals("close", response.header("Connection"));
      assertEquals("body_too_large", new JsonObject(response.body()).getString("error"));
      assertEquals(-1, in.read(), "the connection is closed");
    }
  }

  @Test
  void aFittingDocumentAnnouncedWithExpectGets100ContinueThenIsRead() throws IOException {
    byte[] document = document(2).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = RawHttp.send(gw.node().adminPort(), "PUT /admin/config?base_version=1 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer " + GatewayFixture.ADMIN_TOKEN + "\r\nContent-Type: " + FORM + "\r\n"
        + "Content-Length: " + document.length + "\r\nExpect: 100-continue\r\n\r\n")) {
      InputStream in = socket.getInputStream();
      assertEquals(100, RawHttp.read(in).status());
      OutputStream out = socket.getOutputStream();
      out.write(document);
      out.flush();
      RawHttp.Response response = RawHttp.read(in);
      assertEquals(200, response.status(), response.body());
      assertEquals(2, new JsonObject(response.body()).getLong("version"));
    }
  }

  @Test
  void unknownPathsAnswerJson404() {
    JsonObject body = assertJsonError(gw.admin(HttpMethod.GET, "/admin/nope", null), 404, "not_found");
    assertEquals("no admin endpoint GET /admin/nope", body.getString("message"));
    assertJsonError(gw.admin(HttpMethod.GET, "/nope", null), 404, "not_found");
    assertJsonError(gw.admin(HttpMethod.POST, "/admin/config/rollback", null), 404, "not_found");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DELETE|/admin/config|GET, PUT",
      "POST|/admin/node|GET",
      "GET|/admin/config/validate|POST",
      "PUT|/admin/config/versions|GET",
      "GET|/admin/config/rollback/1|POST",
      "PATCH|/admin/consumers/alice|DELETE, GET, PUT",
      "GET|/admin/consumers/alice/keys|POST",
      "PUT|/admin/revocations|GET, POST",
      "GET|/admin/cache|DELETE",
      "POST|/health|GET"})
  void methodsAnEndpointDoesNotTakeAnswerJson405WithAllow(String method, String path, String allow) {
    GatewayFixture.Reply reply = gw.admin(HttpMethod.valueOf(method), path, null);
    assertJsonError(reply, 405, "method_not_allowed");
    assertEquals(allow, reply.header("Allow"));
  }

  @Test
  void jsonBodiesAreReadWhateverTheirContentTypeAndMalformedOnesAnswerJson400() {
    GatewayFixture.Reply put = send(HttpMethod.PUT, "/admin/consumers/alice", FORM, "{\"groups\": [\"staff\"]}");
    assertEquals(200, put.status(), put.bodyString());
    assertEquals("staff", put.json().getJsonArray("groups").getString(0));

    for (String body : List.of("{\"groups\": [", "[1]", "null", "", "{\"groups\": \"staff\"}")) {
      assertJsonError(send(HttpMethod.PUT, "/admin/consumers/alice", FORM, body), 400, "invalid_consumer");
    }
    for (String body : List.of("not json", "{\"jti\": ", "[]", "")) {
      assertJsonError(send(HttpMethod.POST, "/admin/revocations", "text/plain", body), 400, "invalid_revocation");
    }
    GatewayFixture.Reply revoked = send(HttpMethod.POST, "/admin/revocations", FORM, "{\"jti\": \"t-1\"}");
    assertEquals(201, revoked.status(), revoked.bodyString());
  }

  @Test
  void jsonBodiesOverTheirEndpointsLimitAnswerJson413() {
    String big = "{\"jti\": \"" + "x".repeat(20 * 1024) + "\"}";
    assertJsonError(send(HttpMethod.POST, "/admin/revocations", FORM, big), 413, "body_too_large");
    String groups = "{\"groups\": [\"" + "g".repeat(70 * 1024) + "\"]}";
    assertJsonError(send(HttpMethod.PUT, "/admin/consumers/alice", "application/json", groups), 413, "body_too_large");
  }

  @Test
  void undecodablePathsAndQueriesAnswerJson400() {
    assertJsonError(gw.admin(HttpMethod.GET, "/admin/consumers/%zz", null), 400, "bad_request");
    assertJsonError(gw.admin(HttpMethod.GET, "/admin/config/diff?from=%zz&to=1", null), 400, "bad_request");
    assertJsonError(gw.admin(HttpMethod.DELETE, "/admin/cache?route=%zz", null), 400, "bad_request");
    assertJsonError(gw.admin(HttpMethod.PUT, "/admin/config?base_version=%zz", null), 400, "bad_request");
    assertJsonError(gw.admin(HttpMethod.PUT, "/admin/config?base_version=x", null), 400, "bad_parameter");
    assertJsonError(gw.admin(HttpMethod.GET, "/admin/config/diff?from=1", null), 400, "bad_parameter");
  }

  @Test
  void aRequestTheDecoderRefusesAnswersJson400AndIsClosed() throws IOException {
    try (Socket socket = RawHttp.send(gw.node().adminPort(), "GET /admin/node HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Bad Header\r\n\r\n")) {
      InputStream in = socket.getInputStream();
      RawHttp.Response response = RawHttp.read(in);
      assertEquals(400, response.status());
      assertEquals("bad_request", new JsonObject(response.body()).getString("error"));
      assertEquals(-1, in.read(), "the connection is closed");
    }
  }
}
